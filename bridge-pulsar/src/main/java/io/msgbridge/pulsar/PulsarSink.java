package io.msgbridge.pulsar;

import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.TypedMessageBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * A Pulsar sink. The destination comes from the {@link TopicTemplate}; producers are made by the
 * {@link ProducerCache} on first use and closed when idle; {@link ProducerRouter} picks the producer
 * (and, with {@code dedup}, the sequence id). A publish completes when the broker confirmed the
 * message (a duplicate dropped by broker deduplication counts as confirmed). Failures are classified
 * by {@link PulsarFailures}.
 *
 * <p>Threads: a publish sends on the caller's (lane) thread, which may block while the producer's
 * queue is full ({@code block-if-queue-full}) and, on a topic's first use, while its producer is
 * created (at most the operation timeout); never on a pulsar-client thread.
 */
final class PulsarSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(PulsarSink.class);
    private static final long CLOSE_MILLIS = 3000;

    private final PulsarConnectionOptions connection;
    private final PulsarSinkOptions options;
    private final AtomicBoolean warnedNoSequence = new AtomicBoolean();
    private volatile PulsarClient client;
    private volatile ProducerCache producers;
    private volatile ProducerRouter router;
    private volatile ScheduledExecutorService idleCloser;
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
        PulsarClient c = PulsarClients.create(connection, where);
        try {
            probe(c);
        } catch (RuntimeException e) {
            PulsarClients.closeQuietly(c);
            throw e;
        }
        router = new ProducerRouter(context.pipeline(), deadLetter, options.dedup());
        producers = new ProducerCache(c, options, context.pipeline(), Clock.systemUTC());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pulsar-idle-producers-" + context.pipeline());
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1000, options.producerIdleTimeout().toMillis() / 2);
        scheduler.scheduleWithFixedDelay(this::closeIdleProducers, period, period, TimeUnit.MILLISECONDS);
        idleCloser = scheduler;
        client = c;
        LOG.info("{}: started", where);
        if (closed) {
            close();
        }
    }

    /**
     * Connects and asks for the destination's partitions (for a template, of a sample topic), so that
     * refused credentials fail the start. Only refused authentication counts: a topic that does not
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
                    || cause instanceof PulsarClientException.TimeoutException) {
                throw PulsarFailures.onStart(where, connection.auth(), PulsarClients.explain(connection, "cannot connect"), cause);
            }
            Optional<String> tls = PulsarClients.tlsProblem(connection);
            if (tls.isPresent()) {
                throw new RetriableException(where + ": cannot connect: " + tls.get(), cause);
            }
            LOG.debug("{}: probe of {}: {}", where, topic, cause.toString());
        } catch (TimeoutException e) {
            throw new RetriableException(where + ": no answer from the broker within " + connection.operationTimeout(), e);
        }
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
        if (options.dedup() && !key.deduplicating() && warnedNoSequence.compareAndSet(false, true)) {
            LOG.warn("{}: records from partition {} have no sequence; they are sent without deduplication (at-least-once)",
                    where, record.source().partition());
        }
        ProducerCache.Entry entry = cache.get(key);
        if (key.deduplicating()) {
            long sequence = record.source().sequence();
            long before = entry.highestSequence.getAndAccumulate(sequence, Math::max);
            if (sequence < before) {
                return CompletableFuture.failedFuture(new PermanentException(where + ": record " + record.source()
                        + " reached its deduplicating producer after a later record of the same source partition and key;"
                        + " broker deduplication would drop it. dedup: true needs the pipeline keyed by the message key"
                        + " (key: native) or by topic"));
            }
        }
        try {
            return send(awaitProducer(entry), topic, key, record);
        } catch (ExecutionException e) {
            return CompletableFuture.failedFuture(PulsarFailures.onPublish(where, connection.auth(), topic, e.getCause()));
        } catch (TimeoutException e) {
            return CompletableFuture.failedFuture(new RetriableException(where + ": no producer for topic " + topic
                    + " within " + connection.operationTimeout(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new RetriableException(where + ": interrupted while creating a producer for " + topic, e));
        }
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

    private CompletableFuture<Void> send(Producer<byte[]> producer, String topic, ProducerRouter.ProducerKey key, OutboundRecord record) {
        try {
            TypedMessageBuilder<byte[]> message = producer.newMessage();
            PulsarMessageMapper.toPulsar(record.message(), message);
            if (key.deduplicating()) {
                message.sequenceId(record.source().sequence());
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            message.sendAsync().whenComplete((id, e) -> {
                if (e != null) {
                    done.completeExceptionally(PulsarFailures.onPublish(where, connection.auth(), topic, e));
                } else {
                    done.complete(null);
                }
            });
            return done;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(PulsarFailures.onPublish(where, connection.auth(), topic, e));
        }
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
        ScheduledExecutorService scheduler = idleCloser;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        ProducerCache cache = producers;
        if (cache != null) {
            cache.closeAll(CLOSE_MILLIS);
        }
        PulsarClients.closeQuietly(client);
    }
}
