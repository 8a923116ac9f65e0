package io.msgbridge.nats;

import io.msgbridge.spi.Connector;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A tap on a NATS subject ({@link Connector.SinkSpec#tap}): where a JetStream sink's subject is captured by
 * a stream, the stream read with direct gets ({@link JetStreamReadBackSource}), so no consumer is created;
 * else, or for a core sink, a plain subscription ({@link CoreNatsSource}, no queue group), which takes
 * nothing from anyone. Which one is decided on {@link #start}, when the server can be asked.
 */
final class NatsTapSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(NatsTapSource.class);

    private final NatsConnectionOptions connection;
    private final String subject;
    private final SinkMode mode;
    private final Connector.TapFrom from;
    private volatile Source tap;
    private volatile boolean closed;

    NatsTapSource(NatsConnectionOptions connection, String subject, SinkMode mode, Connector.TapFrom from) {
        this.connection = connection;
        this.subject = subject;
        this.mode = mode;
        this.from = from;
    }

    @Override
    public void start(SourceContext context) throws InterruptedException {
        Source chosen = mode == SinkMode.JETSTREAM && captured(context)
                ? new JetStreamReadBackSource(connection, subject, JetStreamReadBackSource.StreamChoice.capturing(Optional.empty()),
                        Optional.of(from))
                : new CoreNatsSource(connection, new CoreSourceOptions(List.of(subject), Optional.empty(), CoreSourceOptions.DEFAULT_BUFFER));
        if (!(chosen instanceof JetStreamReadBackSource) && from == Connector.TapFrom.START) {
            LOG.warn("{}: no stream captures {}, so core NATS keeps nothing to start from: showing what is published from now on",
                    context.pipeline(), subject);
        }
        chosen.start(context);
        tap = chosen;
        if (closed) {
            chosen.close();
        }
    }

    private boolean captured(SourceContext context) throws InterruptedException {
        Connection conn = NatsConnectionFactory.connect(connection, context.pipeline(),
                new ConnectionEvents(context.pipeline(), "tap", connection), ConnectionUse.RECEIVER);
        try {
            return !conn.jetStreamManagement().getStreamNames(subject).isEmpty();
        } catch (IOException | JetStreamApiException e) {
            throw new RetriableException(context.pipeline() + ": nats tap of " + subject + " on " + connection.describe()
                    + ": cannot ask which stream captures it: " + e.getMessage(), e);
        } finally {
            NatsConnectionFactory.closeQuietly(conn);
        }
    }

    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        Source t = tap;
        if (t == null) {
            Thread.sleep(Math.min(timeout.toMillis(), 50));
            return List.of();
        }
        return t.poll(max, timeout);
    }

    @Override
    public boolean connected() {
        Source t = tap;
        return t != null && t.connected();
    }

    @Override
    public void close() {
        closed = true;
        Source t = tap;
        if (t != null) {
            t.close();
        }
    }
}
