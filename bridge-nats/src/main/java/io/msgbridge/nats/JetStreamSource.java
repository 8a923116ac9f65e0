package io.msgbridge.nats;

import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import io.nats.client.ConsumeOptions;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.Message;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.impl.NatsJetStreamMetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A JetStream source: a durable pull consumer read through jnats' simplified {@link IterableConsumer},
 * which keeps one pull of {@code batch} messages in flight and re-pulls as the buffer drains, so the
 * client buffers at most about one batch beyond what the pipeline asked for.
 *
 * <p>Position: partition = stream name, offset and sequence = stream sequence; attempts = the
 * server's delivered count. {@link SourceRecord.Ack#done()} acks that one message (a non-blocking
 * publish). Resume: see {@link DurablePlan}. The consumer's {@code max_ack_pending} is at least the
 * pipeline's in-flight limit plus two batches, so the pipeline, not the server, is the limit.
 */
final class JetStreamSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(JetStreamSource.class);
    private static final int STREAM_NOT_FOUND = 10059;
    private static final int CONSUMER_NOT_FOUND = 10014;
    private static final Duration WAIT_SLICE = Duration.ofMillis(100);
    private static final Duration NO_WAIT = Duration.ofNanos(1);
    private static final Duration CLOSE_FLUSH = Duration.ofSeconds(2);

    private final NatsConnectionOptions connection;
    private final JetStreamSourceOptions options;
    private final NatsMessageMapper mapper;
    private final LagTracker lag = new LagTracker(Duration.ofSeconds(5));
    private volatile Connection nats;
    private volatile IterableConsumer consumer;
    private volatile ConsumerContext consumerContext;
    private volatile boolean closed;
    private String pipeline = "?";

    JetStreamSource(NatsConnectionOptions connection, JetStreamSourceOptions options) {
        this.connection = connection;
        this.options = options;
        this.mapper = new NatsMessageMapper(connection.keyHeader());
    }

    @Override
    public void start(SourceContext context) throws InterruptedException {
        pipeline = context.pipeline();
        Connection conn = NatsConnectionFactory.connect(connection, pipeline, new ConnectionEvents(pipeline, "source", connection));
        try {
            JetStreamManagement jsm = conn.jetStreamManagement();
            requireStream(jsm);
            String durable = options.durableName(pipeline);
            long maxAckPending = (long) context.maxInFlight() + 2L * options.batch();
            DurablePlan plan = DurablePlan.decide(options, durable, existing(jsm, durable), context.resume(),
                    context.stored().get(options.stream()), maxAckPending);
            if (plan.recreate()) {
                jsm.deleteConsumer(options.stream(), durable);
            }
            ConsumerContext cc = conn.getStreamContext(options.stream()).createOrUpdateConsumer(plan.config());
            IterableConsumer it = cc.iterate(ConsumeOptions.builder().batchSize(options.batch()).build());
            LOG.info("{}: nats source {} on {}: {}", pipeline, options.describe(), connection.describe(), plan.reason());
            consumerContext = cc;
            consumer = it;
            nats = conn;
        } catch (IOException e) {
            NatsConnectionFactory.closeQuietly(conn);
            throw new RetriableException(where() + ": " + e.getMessage(), e);
        } catch (JetStreamApiException e) {
            NatsConnectionFactory.closeQuietly(conn);
            throw apiFailure(e);
        } catch (RuntimeException e) {
            NatsConnectionFactory.closeQuietly(conn);
            throw e;
        }
        if (closed) {
            close();
        }
    }

    private void requireStream(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        try {
            jsm.getStreamInfo(options.stream());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                throw new PermanentException(where() + ": stream " + options.stream() + " does not exist; create it first", e);
            }
            throw e;
        }
    }

    private DurablePlan.Existing existing(JetStreamManagement jsm, String durable) throws IOException, JetStreamApiException {
        try {
            ConsumerInfo info = jsm.getConsumerInfo(options.stream(), durable);
            return new DurablePlan.Existing(info.getConsumerConfiguration(), info.getAckFloor().getStreamSequence(), info.getNumAckPending());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == CONSUMER_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private RuntimeException apiFailure(JetStreamApiException e) {
        String message = where() + ": JetStream refused: " + e.getMessage();
        return e.getErrorCode() == 503 ? new RetriableException(message, e) : new PermanentException(message, e);
    }

    private String where() {
        return pipeline + ": nats source " + options.describe() + " on " + connection.describe();
    }

    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        IterableConsumer it = consumer;
        if (it == null || closed) {
            return List.of();
        }
        try {
            Message first = awaitFirst(it, timeout);
            if (first == null) {
                whenIdle();
                return List.of();
            }
            List<SourceRecord> records = new ArrayList<>(Math.min(max, options.batch()));
            records.add(record(first));
            while (records.size() < max) {
                Message next = it.nextMessage(NO_WAIT);
                if (next == null) {
                    break;
                }
                records.add(record(next));
            }
            return records;
        } catch (JetStreamStatusCheckedException e) {
            throw new RetriableException(where() + ": pull failed: " + e.getMessage(), e);
        }
    }

    private Message awaitFirst(IterableConsumer it, Duration timeout) throws InterruptedException, JetStreamStatusCheckedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Message m = it.nextMessage(Duration.ofNanos(Math.min(left, WAIT_SLICE.toNanos())));
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    private void whenIdle() {
        Connection conn = nats;
        if (closed || conn == null) {
            return;
        }
        if (conn.getStatus() != Connection.Status.CONNECTED) {
            throw new RetriableException(where() + " is " + conn.getStatus() + "; waiting for it to reconnect");
        }
        ConsumerContext cc = consumerContext;
        lag.refreshIfStale(() -> cc.getConsumerInfo().getNumPending());
    }

    private SourceRecord record(Message m) {
        NatsJetStreamMetaData meta = m.metaData();
        long seq = meta.streamSequence();
        lag.observe(meta.pendingCount());
        int attempts = (int) Math.min(Integer.MAX_VALUE, Math.max(1, meta.deliveredCount()));
        return new SourceRecord(mapper.toBridge(m, meta.timestamp().toInstant()),
                new Position(options.stream(), Long.toString(seq), seq), attempts, () -> ack(m));
    }

    private void ack(Message m) {
        try {
            m.ack();
        } catch (IllegalStateException e) {
            LOG.debug("{}: ack of stream sequence {} not sent ({}); the server redelivers it", pipeline, m.metaData().streamSequence(), e.getMessage());
        }
    }

    @Override
    public boolean connected() {
        Connection conn = nats;
        return conn != null && !closed && conn.getStatus() == Connection.Status.CONNECTED;
    }

    /** The consumer's num_pending: from the last delivered message, refreshed from the server when idle, at most every 5 s. */
    @Override
    public long lag() {
        return lag.value();
    }

    /**
     * Stops pulling and unsubscribes (so the server drops the open pull request), flushes and
     * disconnects. Records handed out and not done, and the at most one batch the client had buffered,
     * are redelivered by the server after {@code ack-wait}, in stream order. (Nak'ing the buffered
     * ones for a faster handover was tried: nats-server 2.9 then redelivered them out of order and
     * skipped one until ack-wait, so this waits for ack-wait instead.)
     */
    @Override
    public void close() {
        closed = true;
        IterableConsumer it = consumer;
        Connection conn = nats;
        if (it != null) {
            unsubscribe(it);
        }
        if (conn == null) {
            return;
        }
        try {
            if (conn.getStatus() == Connection.Status.CONNECTED) {
                conn.flush(CLOSE_FLUSH);
            }
        } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
            LOG.debug("{}: flush on close: {}", pipeline, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        NatsConnectionFactory.closeQuietly(conn);
    }

    private void unsubscribe(IterableConsumer it) {
        try {
            it.stop();
            it.close();
        } catch (Exception e) {
            LOG.debug("{}: unsubscribing on close: {}", pipeline, e.toString());
        }
    }
}
