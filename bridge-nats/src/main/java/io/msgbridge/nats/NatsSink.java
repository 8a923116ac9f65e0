package io.msgbridge.nats;

import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.impl.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A NATS sink. The subject comes from the {@link SubjectTemplate}; the key goes into the key header;
 * JetStream publishes carry {@code Nats-Msg-Id} = the record's id, so the stream drops replays within
 * its duplicate window. See {@link JetStreamPublisher} and {@link CorePublisher} for when a record
 * counts as confirmed, and {@link PublishFailures} for how failures are classified.
 */
final class NatsSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(NatsSink.class);
    private static final Duration CLOSE_FLUSH = Duration.ofSeconds(2);

    private final NatsConnectionOptions connection;
    private final NatsSinkOptions options;
    private final NatsMessageMapper mapper;
    private volatile Connection nats;
    private volatile Publisher publisher;
    private volatile boolean closed;
    private String where = "nats sink";

    NatsSink(NatsConnectionOptions connection, NatsSinkOptions options) {
        this.connection = connection;
        this.options = options;
        this.mapper = new NatsMessageMapper(connection.keyHeader());
    }

    @Override
    public void start(SinkContext context) throws InterruptedException {
        String role = context.role() == SinkContext.Role.DEAD_LETTER ? "dead-letter sink" : "sink";
        where = context.pipeline() + ": nats " + role + " " + options.describe() + " on " + connection.describe();
        ConnectionEvents events = new ConnectionEvents(context.pipeline(), role, connection);
        Connection conn = NatsConnectionFactory.connect(connection, context.pipeline(), events);
        PublishFailures failures = new PublishFailures(where, events);
        try {
            if (options.mode() == SinkMode.JETSTREAM) {
                JetStreamOptions jso = JetStreamOptions.builder().requestTimeout(options.ackTimeout()).build();
                if (options.createStream().isPresent()
                        && StreamCreator.ensure(conn.jetStreamManagement(jso), options.createStream().get())) {
                    LOG.info("{}: created stream {}", where, options.createStream().get().name());
                }
                publisher = new JetStreamPublisher(conn.jetStream(jso), failures);
            } else {
                publisher = new CorePublisher(conn, failures);
            }
            nats = conn;
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
        if (closed) {
            close();
        }
    }

    @Override
    public CompletableFuture<Void> publish(OutboundRecord record) {
        Publisher p = publisher;
        if (p == null || closed) {
            return CompletableFuture.failedFuture(new RetriableException(where + " is " + (closed ? "closed" : "not started"), null));
        }
        String subject = options.subject().render(record.message().topic());
        Headers headers;
        try {
            headers = mapper.toNats(record.message(), options.mode() == SinkMode.JETSTREAM ? record.id() : null);
        } catch (PermanentException e) {
            return CompletableFuture.failedFuture(new PermanentException(where + ": " + e.getMessage(), e));
        }
        return p.publish(subject, headers, record.message().payload());
    }

    @Override
    public boolean connected() {
        Connection conn = nats;
        return conn != null && !closed && conn.getStatus() == Connection.Status.CONNECTED;
    }

    @Override
    public void close() {
        closed = true;
        Connection conn = nats;
        if (conn == null) {
            return;
        }
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
