package io.msgbridge.nats;

import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamStatusException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.impl.NatsJetStreamMetaData;
import io.nats.client.support.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A JetStream source: a durable pull consumer, read through a pull subscription whose requests
 * {@link PullRequests} sends: about one batch of {@code batch} messages, and no more than the
 * context's {@link SourceContext#readAhead() read-ahead} in bytes, asked for or buffered ahead of the
 * pump, and asked for again at once after a reconnect.
 *
 * <p>Position: partition = stream name, offset and sequence = stream sequence; attempts = the
 * server's delivered count. {@link SourceRecord.Ack#done()} acks that one message (a non-blocking
 * publish). Resume: see {@link DurablePlan}. The consumer's {@code max_ack_pending} is at least the
 * pipeline's in-flight limit plus two batches, so the pipeline, not the server, is the limit.
 *
 * <p>A message whose headers the client cannot parse reaches this source marked by the connection's
 * {@link HeaderGuardDataPort}; it becomes an {@linkplain SourceRecord#unreadable unreadable} record
 * with its raw header block, acked when the runtime has dead-lettered it, like any other.
 */
final class JetStreamSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(JetStreamSource.class);
    private static final int STREAM_NOT_FOUND = 10059;
    private static final int CONSUMER_NOT_FOUND = 10014;
    private static final long WAIT_SLICE_NANOS = Duration.ofMillis(100).toNanos();
    /**
     * How long nothing must have arrived before the source waits for a first message in one stretch,
     * up to its next request renewal, rather than in {@link #WAIT_SLICE_NANOS} slices. While messages
     * flow, a request can end (409) while the pump waits, and the short slices ask again soon; an idle
     * pipeline only has requests to renew, and waking it ten times a second for nothing is most of
     * what it costs.
     */
    private static final long IDLE_AFTER_NANOS = Duration.ofSeconds(1).toNanos();
    /** The least a wait lasts, so that a renewal due in a moment is not waited for in a spin. */
    private static final long MIN_WAIT_NANOS = Duration.ofMillis(1).toNanos();
    private static final Duration CLOSE_FLUSH = Duration.ofSeconds(2);
    /**
     * What the server counts toward a pull request's {@code max_bytes} beside a message's payload and
     * headers (which {@code max_payload} bounds): its subject and reply subject.
     */
    private static final long SUBJECT_ROOM = 4096;

    private final NatsConnectionOptions connection;
    private final JetStreamSourceOptions options;
    private final NatsMessageMapper mapper;
    private final Duration idleExpires;
    private final LagTracker lag = new LagTracker(Duration.ofSeconds(5), Duration.ofSeconds(30));
    private volatile Connection nats;
    private volatile JetStreamSubscription subscription;
    private volatile PullRequests pulls;
    private volatile UnreadableMessages unreadable;
    private volatile boolean closed;
    private volatile boolean pullFailing;
    /** When the pump last received a message ({@link System#nanoTime()}); only the pump thread uses it. */
    private long lastMessageNanos = System.nanoTime();
    private String pipeline = "?";

    JetStreamSource(NatsConnectionOptions connection, JetStreamSourceOptions options) {
        this(connection, options, PullRequests.IDLE_EXPIRES);
    }

    /** With {@code idleExpires} for the pull requests of an idle source (tests use a short one). */
    JetStreamSource(NatsConnectionOptions connection, JetStreamSourceOptions options, Duration idleExpires) {
        this.connection = connection;
        this.options = options;
        this.idleExpires = idleExpires;
        this.mapper = new NatsMessageMapper(connection.keyHeader());
    }

    @Override
    public void start(SourceContext context) throws InterruptedException {
        pipeline = context.pipeline();
        unreadable = new UnreadableMessages(where());
        Connection conn = NatsConnectionFactory.connect(connection, pipeline,
                new ConnectionEvents(pipeline, "source", connection, this::connectionEvent, this::pullWarning), ConnectionUse.RECEIVER);
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
            jsm.addOrUpdateConsumer(options.stream(), plan.config());
            JetStreamSubscription sub = conn.jetStream().subscribe(null, PullSubscribeOptions.bind(options.stream(), durable));
            PullRequests requests = new PullRequests(sub, options.batch(), context.readAhead(), conn.getMaxPayload() + SUBJECT_ROOM);
            LOG.info("{}: nats source {} on {}: {}; pulls up to {} messages and {} bytes a request", pipeline, options.describe(),
                    connection.describe(), plan.reason(), options.batch(), requests.maxBytes());
            pulls = requests;
            subscription = sub;
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

    /**
     * On a jnats thread. After a reconnect the server may have forgotten the open pull requests (it
     * restarted, or dropped them while the subscription had no interest): ask again at once.
     */
    private void connectionEvent(Connection conn, ConnectionListener.Events type) {
        PullRequests p = pulls;
        if (p != null && (type == ConnectionListener.Events.RECONNECTED || type == ConnectionListener.Events.RESUBSCRIBED)) {
            p.lost();
        }
    }

    /** On a jnats thread: a pull request the server ended early, as its next message did not fit in its bytes. */
    private void pullWarning(Status status) {
        PullRequests p = pulls;
        if (p != null && status.getCode() == Status.CONFLICT_CODE && Status.MESSAGE_SIZE_EXCEEDS_MAX_BYTES.equals(status.getMessage())) {
            p.ended();
        }
    }

    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        JetStreamSubscription sub = subscription;
        PullRequests p = pulls;
        if (sub == null || closed) {
            return List.of();
        }
        try {
            Message first = awaitFirst(sub, p, timeout);
            if (first == null) {
                whenIdle(sub);
                return List.of();
            }
            List<SourceRecord> records = new ArrayList<>(Math.min(max, options.batch()));
            records.add(record(first));
            p.received(first.consumeByteCount());
            while (records.size() < max) {
                Message next = sub.nextMessage((Duration) null);
                if (next == null) {
                    break;
                }
                records.add(record(next));
                p.received(next.consumeByteCount());
            }
            pullFailing = false;
            lastMessageNanos = System.nanoTime();
            return records;
        } catch (JetStreamStatusException e) {
            pullFailing = true;
            p.lost();
            throw new RetriableException(where() + ": pull failed: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            if (closed) {
                return List.of();
            }
            pullFailing = true;
            p.lost();
            throw new RetriableException(where() + ": pull failed: " + e.getMessage(), e);
        }
    }

    /**
     * Waits for a first message, asking for more between waits whenever connected: in short slices
     * while messages flow or the connection is down (so that a request the server ended, or the
     * connection coming back, is acted on soon), and when idle until the oldest request is due to be
     * renewed, asking with the longer idle expiry then. An open request brings a message the moment it
     * is stored, so waiting longer does not delay it.
     */
    private Message awaitFirst(JetStreamSubscription sub, PullRequests p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closed) {
            boolean connected = nats.getStatus() == Connection.Status.CONNECTED;
            boolean idle = System.nanoTime() - lastMessageNanos >= IDLE_AFTER_NANOS;
            if (connected) {
                p.topUp(idle ? idleExpires : PullRequests.EXPIRES);
            }
            long now = System.nanoTime();
            long left = deadline - now;
            if (left <= 0) {
                return null;
            }
            long wait = connected && idle
                    ? Math.max(MIN_WAIT_NANOS, p.renewAtNanos() - now)
                    : WAIT_SLICE_NANOS;
            Message m = sub.nextMessage(Duration.ofNanos(Math.min(left, wait)));
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    private void whenIdle(JetStreamSubscription sub) {
        Connection conn = nats;
        if (closed || conn == null) {
            return;
        }
        if (conn.getStatus() != Connection.Status.CONNECTED) {
            throw new RetriableException(where() + " is " + conn.getStatus() + "; waiting for it to reconnect");
        }
        lag.refreshIfStale(() -> sub.getConsumerInfo().getNumPending());
    }

    private SourceRecord record(Message m) {
        NatsJetStreamMetaData meta = m.metaData();
        long seq = meta.streamSequence();
        lag.observe(meta.pendingCount());
        int attempts = (int) Math.min(Integer.MAX_VALUE, Math.max(1, meta.deliveredCount()));
        Position position = new Position(options.stream(), Long.toString(seq), seq);
        io.msgbridge.spi.Message message = mapper.toBridge(m, meta.timestamp().toInstant());
        String problem = UnreadableHeaders.reason(m);
        if (problem == null) {
            return new SourceRecord(message, position, attempts, () -> ack(m));
        }
        unreadable.seen(m.getSubject(), problem);
        return SourceRecord.unreadable(message, position, attempts, () -> ack(m), new PermanentException(where()
                + ": stream " + options.stream() + " sequence " + seq + " (subject " + m.getSubject() + ") has headers the NATS client"
                + " cannot read (" + problem + "); its raw header block is in header " + UnreadableHeaders.RAW_HEADER
                + ", percent-encoded", null));
    }

    private void ack(Message m) {
        try {
            m.ack();
        } catch (IllegalStateException e) {
            LOG.debug("{}: ack of stream sequence {} not sent ({}); the server redelivers it", pipeline, m.metaData().streamSequence(), e.getMessage());
        }
    }

    /** Whether the source can pull now: connected, and its last pull did not fail. */
    @Override
    public boolean connected() {
        Connection conn = nats;
        return conn != null && !closed && !pullFailing && conn.getStatus() == Connection.Status.CONNECTED;
    }

    /**
     * The consumer's num_pending: from the last delivered message, refreshed from the server when idle,
     * at most every 5 s, or every 30 s while it is 0 (so a client that stopped fetching is seen as
     * stalled up to that much later).
     */
    @Override
    public long lag() {
        return lag.value();
    }

    /** Messages whose headers the client could not read, since start. */
    long unreadable() {
        UnreadableMessages u = unreadable;
        return u == null ? 0 : u.count();
    }

    /**
     * Unsubscribes (so the server drops the open pull requests), flushes and disconnects. Records
     * handed out and not done, and what the client had buffered, are redelivered by the server after
     * {@code ack-wait}, in stream order. (Nak'ing the buffered ones for a faster handover was tried:
     * nats-server 2.9 then redelivered them out of order and skipped one until ack-wait, so this waits
     * for ack-wait instead.)
     */
    @Override
    public void close() {
        closed = true;
        JetStreamSubscription sub = subscription;
        Connection conn = nats;
        if (sub != null) {
            unsubscribe(sub);
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

    private void unsubscribe(JetStreamSubscription sub) {
        try {
            sub.unsubscribe();
        } catch (RuntimeException e) {
            LOG.debug("{}: unsubscribing on close: {}", pipeline, e.toString());
        }
    }
}
