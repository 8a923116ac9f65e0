/**
 * The contract between the core and a backend: what a backend implements ({@link Connector},
 * {@link Source}, {@link Sink}) and the values they exchange, including {@link ConfigNode}, through
 * which a connector reads its settings. This package depends on nothing else of the project. Helpers
 * that backends share but that are not the contract (the usual spec records, destination templates, PEM
 * TLS contexts) are in {@code io.msgbridge.backend}.
 *
 * <h2>Connector lifecycle</h2>
 *
 * <p><b>Reading.</b> The core finds each {@link Connector} with {@link java.util.ServiceLoader}.
 * Whenever config is loaded ({@code bridge run}, {@code bridge validate}, a reload),
 * {@link Connector#connection} reads each {@code connections.NAME} section of its type, and the returned
 * {@link Connector.ConnectionSpec} reads the {@code from:}, {@code to:} and {@code dead-letter:}
 * sections that name the connection into a {@link Connector.SourceSpec} or {@link Connector.SinkSpec}.
 * Nothing connects while reading, and problems go to the {@link ConfigNode}, never thrown.
 *
 * <p><b>Making.</b> A pipeline makes its source, its sink and, with a dead-letter route, a second sink
 * with the specs' {@code create()} when the pipeline is made; they start unconnected. An instance serves
 * one run of one pipeline and is never used after {@code close()}. A pipeline that failed for a reason a
 * fresh start may cure (an unexpected exception, a lane that died) is restarted by the runtime after a
 * backoff with new instances made from the same specs, never with the old ones.
 *
 * <p><b>Starting.</b> On the pipeline's pump thread, once the pipeline holds its claim in the offset
 * store, the runtime starts the sink, then the dead-letter sink, then the source; the source only once
 * both sinks have started. Each {@code start} is called until it returns normally, on the same instance:
 * <ul>
 *   <li>it throws {@link PermanentException}: the pipeline fails and is not restarted (refused
 *       credentials, a stream that does not exist: they need a changed config); other pipelines go
 *       on;</li>
 *   <li>it throws {@link java.lang.InterruptedException}: the pipeline stops;</li>
 *   <li>it throws anything else ({@link RetriableException}, or any other exception): the failure shows
 *       in the pipeline's status and log, and the runtime calls {@code start} again on the same instance
 *       after a backoff that grows to some seconds, for as long as it takes, until the pipeline is
 *       stopped.</li>
 * </ul>
 * So {@code start} may be called many times on one instance, but after it has returned normally once it
 * is never called again. A {@code start} that throws must release everything it acquired (connections,
 * clients, producers and consumers, threads) and leave the instance as if it had not been called, so
 * that calling {@code start} again works and any number of failed attempts leaks nothing. {@code start}
 * may block (connecting, creating a stream), but the runtime does not interrupt it to stop the pipeline:
 * a stop waits for the attempt under way, so a start should give up within its client's connect timeout.
 *
 * <p><b>Running.</b> Once all have started, the runtime reads the sink's {@link Sink#ordering()} once
 * and starts the lanes, which call {@link Sink#publish} on both sinks (never before a successful start);
 * the pump calls {@link Source#poll} and the committer {@link Source#committed}. A connection lost while
 * running does not make the runtime call {@code start} again: the backend reconnects on its own (its
 * client's reconnect or a redial of its own), says so through {@code connected()}, and meanwhile fails
 * polls and publishes retriably, which the runtime retries.
 *
 * <p><b>Closing.</b> When the pipeline stops (after draining and the final commit) or fails, the pump
 * thread closes the source, the sink and the dead-letter sink, each exactly once, whether its start
 * succeeded, failed or never ran (a pipeline can stop while it waits for its claim). {@code close()} is
 * idempotent and never throws. Outside a pipeline, the commands that use a source or sink directly
 * ({@code bridge tap}, {@code send}, {@code verify}) start it once and report a failed start instead of
 * retrying; {@code bridge tap} closes its source from a shutdown hook, so {@code close()} may come from
 * another thread while {@code start} or {@code poll} is under way: a blocked poll then returns promptly,
 * and a start under way must leave the instance closed (closing what it opens after the close).
 *
 * <p>Which thread calls each method, and whether it may block, is in {@link Source} and {@link Sink}.
 */
package io.msgbridge.spi;
