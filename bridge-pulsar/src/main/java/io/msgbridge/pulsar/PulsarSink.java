package io.msgbridge.pulsar;

import io.msgbridge.backend.DurationText;
import io.msgbridge.backend.OrderGate;
import io.msgbridge.spi.BridgeException;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.SinkEvents;
import io.msgbridge.spi.SinkOrdering;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.TypedMessageBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Pulsar sink. The destination comes from the options' {@link PulsarSinkOptions#topic() template}; producers
 * are made by the {@link ProducerCache} on first use and closed when idle; {@link ProducerRouter} picks the producer.
 * A publish completes when the broker confirmed the message (a duplicate dropped by broker
 * deduplication counts as confirmed: the broker acknowledges it without storing it; {@link DuplicateDrops}
 * counts and summarises those). Failures are
 * classified by {@link PulsarFailures}. The message key (and ordering key) is the key the pipeline
 * computed, {@link OutboundRecord#key()}.
 *
 * <p>Order ({@link #ordering()}): pulsar-client 4.0 keeps one producer's messages in a queue, written in
 * order on one connection; on a reconnect it re-sends every unconfirmed message, in order, before any
 * new one; a send timeout fails every pending message at once, not only the oldest
 * ({@code ProducerImpl.run}: "Message send timed out. Failing N messages"). So records of a key may be
 * in flight together: a failure fails them all, and the runtime publishes again from the failed one.
 * With {@code dedup}, all records of a source partition go through one producer in order, and an
 * {@link OrderGate} refuses records queued after a failure until that rewind.
 *
 * <p>Memory: the sink's client holds at most {@link SinkContext#writeBuffer()} bytes of unconfirmed
 * messages over all its producers (the client's {@code memoryLimit}), beside each producer's
 * {@code max-pending-messages}. The pipeline never has more than that many bytes at the sink (a record's
 * cost counts its payload, which is what the client counts, and more), so the limit bounds the client's
 * copies of what the pipeline already holds without refusing a record the pipeline may send: a
 * deduplicating producer, which must not wait, never finds it full.
 *
 * <p>Threads: a publish sends on the caller's (lane) thread, which may block while the producer's
 * queue is full ({@code block-if-queue-full}, never on a deduplicating producer) and, on a topic's
 * first use, while its producer is created (at most the operation timeout); never on a pulsar-client
 * thread.
 */
final class PulsarSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(PulsarSink.class);
    private static final long CLOSE_MILLIS = 3000;

    private final PulsarConnectionOptions connection;
    private final PulsarSinkOptions options;
    private final AtomicBoolean warnedNoSequence = new AtomicBoolean();
    /**
     * With {@code dedup}: the source partitions with a failed record that the runtime has not published
     * again yet. Per partition, not per producer, since that is the runtime's ordering key, which it
     * resumes ({@link OutboundRecord#resumes()}); it lives as long as the sink, so a record that failed
     * on a producer closed meanwhile (idle) still holds the later ones back on its successor.
     */
    private final OrderGate gate = new OrderGate(true);
    private volatile boolean dedup;
    private volatile PulsarClient client;
    private volatile ProducerCache producers;
    private volatile ProducerRouter router;
    private volatile ScheduledExecutorService scheduler;
    private volatile DuplicateDrops duplicates = new DuplicateDrops("pulsar sink", SinkEvents.NONE);
    private volatile boolean closed;
    private String where = "pulsar sink";

    PulsarSink(PulsarConnectionOptions connection, PulsarSinkOptions options) {
        this.connection = connection;
        this.options = options;
    }

    @Override
    public void start(SinkContext context) throws InterruptedException {
        boolean deadLetter = context.role() == SinkContext.Role.DEAD_LETTER;
        where = context.pipeline() + ": pulsar " + (deadLetter ? "dead-letter sink " : "sink ") + options.describe()
                + " on " + connection.describe();
        PulsarClient c = PulsarClients.create(connection, where, context.writeBuffer());
        try {
            probe(c);
        } catch (RuntimeException e) {
            PulsarClients.closeQuietly(c);
            throw e;
        }
        /*
         * Dead letters of a source partition reach the dead-letter route out of source order (a record is
         * dead-lettered when its key fails), and the broker drops a sequence id below one it stored:
         * deduplicating them by source sequence would drop dead letters. They go at-least-once.
         */
        dedup = options.dedup() && !deadLetter;
        if (options.dedup() && deadLetter) {
            LOG.info("{}: dead letters are not deduplicated (dedup: true applies to the pipeline's sink); a dead letter"
                    + " published again after a crash may be stored twice", where);
        }
        router = new ProducerRouter(context.pipeline(), dedup);
        producers = new ProducerCache(c, options, context.pipeline(), Clock.systemUTC());
        DuplicateDrops drops = new DuplicateDrops(where, context.events());
        duplicates = drops;
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(() -> {
                MDC.put("pipeline", context.pipeline());
                r.run();
            }, "pulsar-sink-timer-" + context.pipeline());
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1000, options.producerIdleTimeout().toMillis() / 2);
        timer.scheduleWithFixedDelay(this::closeIdleProducers, period, period, TimeUnit.MILLISECONDS);
        long every = DuplicateDrops.EVERY.toMillis();
        timer.scheduleWithFixedDelay(guarded(drops::summarise), every, every, TimeUnit.MILLISECONDS);
        ConnectionWatch watch = new ConnectionWatch(where, () -> closed || producers.allConnected(), System::nanoTime);
        long check = ConnectionWatch.EVERY.toMillis();
        timer.scheduleWithFixedDelay(guarded(watch::check), check, check, TimeUnit.MILLISECONDS);
        scheduler = timer;
        client = c;
        LOG.info("{}: started", where);
        if (closed) {
            close();
        }
    }

    /**
     * Connects and asks for the destination's partitions (for a template, of a sample topic), so that
     * refused credentials fail the start and an unreachable broker makes it retriable. Only those
     * count: a topic that does not
     * exist yet, or that this role may not look up, is for the publish to find out.
     */
    private void probe(PulsarClient c) throws InterruptedException {
        String topic = options.topic().fixed() ? options.topic().render("") : options.topic().render("bridge-probe");
        try {
            c.getPartitionsForTopic(topic, false).get(connection.operationTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PulsarClientException.AuthenticationException
                    || cause instanceof PulsarClientException.LookupException
                    || cause instanceof PulsarClientException.ConnectException
                    || cause instanceof PulsarClientException.TimeoutException
                    || PulsarFailures.unreachable(cause)) {
                throw PulsarFailures.onStart(where, connection.auth(), PulsarClients.explain(connection, "cannot connect"), cause);
            }
            Optional<String> tls = PulsarClients.tlsProblem(connection);
            if (tls.isPresent()) {
                throw new RetriableException(where + ": cannot connect: " + tls.get(), cause);
            }
            LOG.debug("{}: probe of {}: {}", where, topic, cause.toString());
        } catch (TimeoutException e) {
            throw new RetriableException(where + ": no answer from the broker within " + DurationText.format(connection.operationTimeout()), e);
        }
    }

    /** {@code task}, which a failure does not end: logged, and run again next time (a scheduler would stop it). */
    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("{}: {}", where, e.toString(), e);
            }
        };
    }

    private void closeIdleProducers() {
        try {
            producers.closeIdle();
        } catch (RuntimeException e) {
            LOG.warn("{}: closing idle producers failed, trying again later: {}", where, e.toString());
        }
    }

    @Override
    public CompletableFuture<Void> publish(OutboundRecord record) {
        ProducerCache cache = producers;
        if (cache == null || closed) {
            return CompletableFuture.failedFuture(new RetriableException(where + " is " + (closed ? "closed" : "not started")));
        }
        String topic = options.topic().render(record.message().topic());
        ProducerRouter.ProducerKey key = router.route(topic, record);
        if (dedup && !key.deduplicating() && warnedNoSequence.compareAndSet(false, true)) {
            LOG.warn("{}: records from partition {} have no sequence; they are sent without deduplication (at-least-once)",
                    where, record.source().partition());
        }
        ProducerCache.Entry entry = cache.get(key);
        boolean gated = key.deduplicating();
        Producer<byte[]> producer;
        try {
            producer = awaitProducer(entry);
        } catch (ExecutionException e) {
            return failed(gated, record, PulsarFailures.onPublish(where, connection.auth(), topic, e.getCause()));
        } catch (TimeoutException e) {
            return failed(gated, record, new RetriableException(where + ": no producer for topic " + topic
                    + " within " + DurationText.format(connection.operationTimeout()), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(gated, record, new RetriableException(where + ": interrupted while creating a producer for " + topic, e));
        }
        return gated ? sendDeduplicated(producer, topic, key, record) : send(producer, topic, record, false);
    }

    /**
     * Sends through a deduplicating producer, unless the gate holds the record back: the broker drops a
     * sequence id not above the highest it stored for the producer, so a record stored after an earlier
     * one failed would make the runtime's re-publish of that one a dropped "duplicate": lost. The client
     * keeps what it queued in order (a send timeout fails every pending message, a reconnect re-sends
     * them in order); the danger is a record queued after the client dropped a failed one, published
     * before the runtime learned of the failure. So the gate is asked and the message queued holding the
     * producer's lock: pulsar-client 4.0 fails pending messages (send timeout, refused reconnect, close)
     * holding that lock and runs the failure callbacks, which close the gate, before it lets go. A record
     * is either queued before such a failure, and fails with the rest, or sees the gate closed. Nothing
     * inside blocks: the producer does not wait for queue room (see {@link ProducerCache}).
     */
    private CompletableFuture<Void> sendDeduplicated(Producer<byte[]> producer, String topic, ProducerRouter.ProducerKey key,
                                                     OutboundRecord record) {
        synchronized (producer) {
            if (!gate.admit(record)) {
                return CompletableFuture.failedFuture(new RetriableException(where + ": record " + record.source()
                        + " held back behind an earlier record of its source partition that failed: stored first (producer "
                        + key.name() + " of topic " + topic + "), it would make the broker drop that one as a duplicate when"
                        + " published again"));
            }
            return send(producer, topic, record, true);
        }
    }

    /** A failed publish; a retriable failure of a deduplicated record closes the gate of its partition. */
    private CompletableFuture<Void> failed(boolean gated, OutboundRecord record, BridgeException failure) {
        if (gated && failure.retriable()) {
            gate.failed(record);
        }
        return CompletableFuture.failedFuture(failure);
    }

    /**
     * The entry's producer, waiting for its creation on a first use (bounded by the operation
     * timeout). Waiting here, on the publishing thread, keeps the order of one thread's publishes.
     */
    private Producer<byte[]> awaitProducer(ProducerCache.Entry entry) throws ExecutionException, TimeoutException, InterruptedException {
        Producer<byte[]> ready = entry.producer.getNow(null);
        if (ready != null) {
            return ready;
        }
        return entry.producer.get(connection.operationTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends {@code record}; {@code gated}, through a deduplicating producer with the record's sequence as
     * its id, closing the gate on a retriable failure before the failure is reported.
     */
    private CompletableFuture<Void> send(Producer<byte[]> producer, String topic, OutboundRecord record, boolean gated) {
        try {
            TypedMessageBuilder<byte[]> message = producer.newMessage();
            PulsarMessageMapper.toPulsar(record.message(), record.key(), message);
            if (gated) {
                message.sequenceId(record.source().sequence());
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            message.sendAsync().whenComplete((id, e) -> {
                if (e != null) {
                    BridgeException failure = PulsarFailures.onPublish(where, connection.auth(), topic, e);
                    if (gated && failure.retriable()) {
                        gate.failed(record);
                    }
                    done.completeExceptionally(failure);
                } else {
                    duplicates.confirmed(id);
                    done.complete(null);
                }
            });
            return done;
        } catch (RuntimeException e) {
            return failed(gated, record, PulsarFailures.onPublish(where, connection.auth(), topic, e));
        }
    }

    /**
     * Up to {@code max-pending-messages} records of a key in flight (a producer's queue); with
     * {@code dedup}, of a whole source partition, in order, since a deduplicating producer takes a
     * partition's records and needs their sequence ids in order. Dead letters are never deduplicated
     * (see {@link #start}), so a dead-letter sink keeps order per key.
     */
    @Override
    public SinkOrdering ordering() {
        SinkOrdering pipelined = SinkOrdering.pipelined(options.maxPendingMessages());
        return dedup ? pipelined.perSourcePartition() : pipelined;
    }

    /** Whether started, not closed, and every producer connected to its broker. */
    @Override
    public boolean connected() {
        ProducerCache cache = producers;
        PulsarClient c = client;
        return c != null && cache != null && !closed && !c.isClosed() && cache.allConnected();
    }

    /** Flushes and closes producers (at most about 3 s), then the client. */
    @Override
    public void close() {
        closed = true;
        ScheduledExecutorService timer = scheduler;
        if (timer != null) {
            timer.shutdownNow();
        }
        ProducerCache cache = producers;
        if (cache != null) {
            cache.closeAll(CLOSE_MILLIS);
        }
        PulsarClients.closeQuietly(client);
        duplicates.summarise();
    }
}
