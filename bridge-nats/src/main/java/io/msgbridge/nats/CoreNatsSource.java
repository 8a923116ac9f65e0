package io.msgbridge.nats;

import io.msgbridge.backend.DurationText;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;

import java.time.Duration;
import java.util.List;

/**
 * A core NATS source: subscribes to subjects (optionally in a queue group) on a dispatcher and hands
 * messages to the pump through a bounded {@link DroppingHandoff}.
 *
 * <p><b>At most once.</b> Core NATS has no acknowledgement and no replay: messages published while
 * the source is stopped or disconnected are lost, and messages that arrive while the buffer is full
 * are dropped (counted and logged as a slow consumer). Use a JetStream source where that matters.
 *
 * <p>Position: partition = the subscribed subject patterns comma-joined, offset = a per-source
 * counter assigned on arrival (so drops show as gaps), no sequence. {@link SourceContext#resume()}
 * and stored positions have nothing to seek and are ignored.
 *
 * <p>A message whose headers the client cannot parse reaches the dispatcher marked by the connection's
 * {@link HeaderGuardDataPort} instead of stopping the connection's reader (which would lose every
 * later message); it is counted, logged with its subject, and handed on as an
 * {@linkplain SourceRecord#unreadable unreadable} record with its raw header block.
 */
final class CoreNatsSource implements Source {
    private static final long FRESH = 0;

    private final NatsConnectionOptions connection;
    private final CoreSourceOptions options;
    private final NatsMessageMapper mapper;
    private volatile Connection nats;
    private volatile DroppingHandoff handoff;
    private volatile UnreadableMessages unreadable;
    private volatile boolean closed;
    private long counter = FRESH;

    CoreNatsSource(NatsConnectionOptions connection, CoreSourceOptions options) {
        this.connection = connection;
        this.options = options;
        this.mapper = new NatsMessageMapper(connection.keyHeader());
    }

    @Override
    public void start(SourceContext context) throws InterruptedException {
        handoff = new DroppingHandoff(options.buffer(), context.pipeline());
        String where = context.pipeline() + ": nats source " + options.describe() + " on " + connection.describe();
        unreadable = new UnreadableMessages(where);
        ConnectionEvents events = new ConnectionEvents(context.pipeline(), "source", connection);
        Connection conn = NatsConnectionFactory.connect(connection, context.pipeline(), events, ConnectionUse.RECEIVER);
        String partition = options.partition();
        DroppingHandoff buffer = handoff;
        UnreadableMessages unreadables = unreadable;
        Dispatcher dispatcher = conn.createDispatcher(msg -> {
            long offset = ++counter;
            String problem = UnreadableHeaders.reason(msg);
            if (problem != null) {
                unreadables.seen(msg.getSubject(), problem);
            }
            buffer.offer(msg.getSubject(), () -> record(msg, partition, offset, problem, where));
        });
        for (String subject : options.subjects()) {
            if (options.queueGroup().isPresent()) {
                dispatcher.subscribe(subject, options.queueGroup().get());
            } else {
                dispatcher.subscribe(subject);
            }
        }
        flushSubscriptions(conn, context.pipeline());
        nats = conn;
        if (closed) {
            NatsConnectionFactory.closeQuietly(conn);
        }
    }

    /** Waits until the server has the subscriptions, so that what is published after start() is received. */
    private void flushSubscriptions(Connection conn, String pipeline) throws InterruptedException {
        try {
            conn.flush(connection.connectTimeout());
        } catch (java.util.concurrent.TimeoutException e) {
            NatsConnectionFactory.closeQuietly(conn);
            throw new RetriableException(pipeline + ": nats source " + options.describe() + " on " + connection.describe()
                    + ": subscriptions not confirmed within " + DurationText.format(connection.connectTimeout()), e);
        }
    }

    /** The counter is advanced on the dispatcher thread only (a dropped message too: it shows as a gap). */
    private SourceRecord record(Message msg, String partition, long offset, String problem, String where) {
        Position position = new Position(partition, Long.toString(offset), Position.NO_SEQUENCE);
        if (problem == null) {
            return new SourceRecord(mapper.toBridge(msg, null), position);
        }
        return SourceRecord.unreadable(mapper.toBridge(msg, null), position, 1, SourceRecord.Ack.NONE, new PermanentException(where
                + ": a message on subject " + msg.getSubject() + " has headers the NATS client cannot read (" + problem
                + "); its raw header block is in header " + UnreadableHeaders.RAW_HEADER + ", percent-encoded", null));
    }

    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        DroppingHandoff buffer = handoff;
        if (buffer == null || closed) {
            return List.of();
        }
        List<SourceRecord> records = buffer.take(max, timeout, () -> closed);
        Connection conn = nats;
        if (records.isEmpty() && !closed && conn != null && conn.getStatus() != Connection.Status.CONNECTED) {
            throw new RetriableException("nats " + connection.describe() + " is " + conn.getStatus() + "; waiting for it to reconnect");
        }
        return records;
    }

    @Override
    public boolean connected() {
        Connection conn = nats;
        return conn != null && !closed && conn.getStatus() == Connection.Status.CONNECTED;
    }

    /** Messages dropped because the hand-off buffer was full (a slow-consumer count). */
    long dropped() {
        DroppingHandoff buffer = handoff;
        return buffer == null ? 0 : buffer.dropped();
    }

    /** Messages whose headers the client could not read, since start. */
    long unreadable() {
        UnreadableMessages u = unreadable;
        return u == null ? 0 : u.count();
    }

    /** Records waiting in the hand-off buffer. */
    int buffered() {
        DroppingHandoff buffer = handoff;
        return buffer == null ? 0 : buffer.depth();
    }

    @Override
    public void close() {
        closed = true;
        Connection conn = nats;
        if (conn != null) {
            NatsConnectionFactory.closeQuietly(conn);
        }
    }
}
