package io.msgbridge.nats;

import io.msgbridge.backend.OrderGate;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.SinkOrdering;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.impl.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A NATS sink. The subject comes from the {@link NatsSubjects#template subject template}; the record's key (the pipeline's)
 * goes into the key header; JetStream publishes carry {@code Nats-Msg-Id} = the record's id, so the
 * stream drops replays within its duplicate window. See {@link JetStreamPublisher} and
 * {@link CorePublisher} for when a record counts as confirmed, and {@link PublishFailures} for how
 * failures are classified.
 *
 * <p><b>Order.</b> Records of a key are pipelined ({@link #ordering()}): one connection writes them in
 * the order they were published, and nats-server handles one client's messages in that order. Once a
 * record of a key failed, an {@link OrderGate} refuses the key's later records until the runtime has
 * decided the failed one and resumes the key (a pipeline's sink only: a dead-letter route is not
 * resumed, so it takes every record). A lost connection could still reorder them, see
 * {@link ConnectionUse}: so a JetStream sink's connection is closed on disconnect, every record not yet
 * confirmed fails and what the client had queued is dropped, and {@link Redialer} dials a new one.
 */
final class NatsSink implements Sink {
    /**
     * Records of one key at the sink at once. A PubAck takes a round trip, so one key moves at most this
     * many records per round trip; a failure makes the runtime publish up to this many again (a JetStream
     * stream drops the copies by {@code Nats-Msg-Id}). The pipeline's in-flight limit caps it further.
     */
    static final int WINDOW = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(NatsSink.class);
    private static final Duration CLOSE_FLUSH = Duration.ofSeconds(2);

    /** A live connection and its publisher. */
    private record Session(Connection connection, Publisher publisher) {
    }

    private final NatsConnectionOptions connection;
    private final NatsSinkOptions options;
    private final NatsMessageMapper mapper;
    private final OrderGate gate = new OrderGate(false);
    /** Whether the gate is used: not as a dead-letter route, whose publishes the runtime never marks as resuming a key. */
    private volatile boolean gated;
    private final Object lock = new Object();
    private volatile Session session;
    private volatile Redialer redialer;
    private volatile boolean closed;
    private ConnectionEvents events;
    private String pipeline = "?";
    private String where = "nats sink";

    NatsSink(NatsConnectionOptions connection, NatsSinkOptions options) {
        this.connection = connection;
        this.options = options;
        this.mapper = new NatsMessageMapper(connection.keyHeader());
    }

    @Override
    public void start(SinkContext context) throws InterruptedException {
        String role = context.role() == SinkContext.Role.DEAD_LETTER ? "dead-letter sink" : "sink";
        pipeline = context.pipeline();
        gated = context.role() == SinkContext.Role.SINK;
        where = pipeline + ": nats " + role + " " + options.describe() + " on " + connection.describe();
        events = new ConnectionEvents(pipeline, role, connection, this::connectionEvent);
        Session opened = open();
        synchronized (lock) {
            if (closed) {
                NatsConnectionFactory.closeQuietly(opened.connection());
                return;
            }
            session = opened;
            if (options.mode() == SinkMode.JETSTREAM && redialer == null) {
                redialer = new Redialer(pipeline, where, connection.reconnectWait(), this::redial);
            }
        }
    }

    private Session open() throws InterruptedException {
        boolean jetStream = options.mode() == SinkMode.JETSTREAM;
        Connection conn = NatsConnectionFactory.connect(connection, pipeline, events,
                jetStream ? ConnectionUse.JETSTREAM_PUBLISHER : ConnectionUse.CORE_PUBLISHER,
                jetStream ? Optional.of(options.ackTimeout()) : Optional.empty());
        PublishFailures failures = new PublishFailures(where, events, conn, gated ? gate : null);
        try {
            if (!jetStream) {
                return new Session(conn, new CorePublisher(conn, failures));
            }
            JetStreamOptions jso = JetStreamOptions.builder().requestTimeout(options.ackTimeout()).build();
            if (options.createStream().isPresent()
                    && StreamCreator.ensure(conn.jetStreamManagement(jso), options.createStream().get())) {
                LOG.info("{}: created stream {}", where, options.createStream().get().name());
            }
            return new Session(conn, new JetStreamPublisher(conn.jetStream(jso), failures));
        } catch (IOException e) {
            NatsConnectionFactory.closeQuietly(conn);
            throw new RetriableException(where + ": " + e.getMessage(), e);
        } catch (JetStreamApiException e) {
            NatsConnectionFactory.closeQuietly(conn);
            String message = where + ": cannot create stream: " + e.getMessage();
            throw e.getErrorCode() == 503 ? new RetriableException(message, e) : new PermanentException(message, e);
        } catch (RuntimeException e) {
            NatsConnectionFactory.closeQuietly(conn);
            throw e;
        }
    }

    /** A new connection in place of the lost one; called by the {@link Redialer}. */
    private void redial() throws InterruptedException {
        Session fresh = open();
        synchronized (lock) {
            if (closed) {
                NatsConnectionFactory.closeQuietly(fresh.connection());
                return;
            }
            session = fresh;
        }
    }

    /** On a jnats thread: a JetStream sink's connection that jnats closed is dialled again. */
    private void connectionEvent(Connection conn, ConnectionListener.Events type) {
        Session current = session;
        Redialer r = redialer;
        if (type == ConnectionListener.Events.CLOSED && !closed && r != null && current != null && current.connection() == conn) {
            r.lost();
        }
    }

    @Override
    public CompletableFuture<Void> publish(OutboundRecord record) {
        Session s = session;
        if (s == null || closed) {
            return CompletableFuture.failedFuture(new RetriableException(where + " is " + (closed ? "closed" : "not started"), null));
        }
        if (gated && !gate.admit(record)) {
            return CompletableFuture.failedFuture(new RetriableException(where + ": holds record " + record.id()
                    + " back: an earlier record of its key failed and is published again first", null));
        }
        String subject = options.subject().render(record.message().topic());
        Headers headers;
        try {
            headers = mapper.toNats(record.message(), record.key(), options.mode() == SinkMode.JETSTREAM ? record.id() : null);
        } catch (PermanentException e) {
            if (gated) {
                gate.failed(record);
            }
            return CompletableFuture.failedFuture(new PermanentException(where + ": " + e.getMessage(), e));
        }
        if (s.connection().getStatus() == Connection.Status.CLOSED) {
            // Closed before its CLOSED event could reach connectionEvent (during start, say).
            Redialer r = redialer;
            if (r != null) {
                r.lost();
            }
        }
        return s.publisher().publish(record, subject, headers);
    }

    /** Records of a key pipelined, up to {@link #WINDOW} of them unconfirmed, in order per key. */
    @Override
    public SinkOrdering ordering() {
        return SinkOrdering.pipelined(WINDOW);
    }

    @Override
    public boolean connected() {
        Session s = session;
        return s != null && !closed && s.connection().getStatus() == Connection.Status.CONNECTED;
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        Redialer r = redialer;
        if (r != null) {
            r.close();
        }
        Session s = session;
        if (s == null) {
            return;
        }
        Connection conn = s.connection();
        try {
            if (conn.getStatus() == Connection.Status.CONNECTED) {
                conn.flush(CLOSE_FLUSH);
            }
        } catch (TimeoutException | RuntimeException e) {
            LOG.debug("{}: flush on close: {}", where, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        NatsConnectionFactory.closeQuietly(conn);
    }
}
