package io.msgbridge.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamSubscription;
import io.nats.client.support.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * Logs what jnats reports about one connection, each line starting with the pipeline's name, and
 * remembers the last permissions violation so that a publish that never got its PubAck can be told
 * apart from a slow broker; passes connection events on to an observer (a source re-pulls after a
 * reconnect, a sink dials again after a close). Called on jnats threads: only logs, stores and calls
 * the observer, which must not block either.
 */
final class ConnectionEvents implements ConnectionListener, ErrorListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionEvents.class);

    private final String prefix;
    private final AtomicReference<String> lastPermissionViolation = new AtomicReference<>();
    private final BiConsumer<Connection, Events> observer;

    ConnectionEvents(String pipeline, String role, NatsConnectionOptions options) {
        this(pipeline, role, options, (conn, event) -> { });
    }

    ConnectionEvents(String pipeline, String role, NatsConnectionOptions options, BiConsumer<Connection, Events> observer) {
        this.prefix = pipeline + ": nats " + role + " " + options.describe();
        this.observer = observer;
    }

    /** The server's last "Permissions Violation" error text on this connection, or null. */
    String lastPermissionViolation() {
        return lastPermissionViolation.get();
    }

    /** The abstract (deprecated) variant is the one jnats requires; the default newer one delegates to it. */
    @Override
    @SuppressWarnings("deprecation")
    public void connectionEvent(Connection conn, Events type) {
        switch (type) {
            case DISCONNECTED -> LOG.warn("{}: disconnected; reconnecting", prefix);
            case RECONNECTED -> LOG.info("{}: reconnected to {}", prefix, conn.getConnectedUrl());
            case CLOSED -> LOG.debug("{}: closed", prefix);
            case CONNECTED -> LOG.debug("{}: connected to {}", prefix, conn.getConnectedUrl());
            default -> LOG.debug("{}: {}", prefix, type);
        }
        observer.accept(conn, type);
    }

    @Override
    public void errorOccurred(Connection conn, String error) {
        if (error != null && error.toLowerCase(java.util.Locale.ROOT).contains("permissions violation")) {
            lastPermissionViolation.set(error);
        }
        LOG.warn("{}: server error: {}", prefix, error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        LOG.debug("{}: {}", prefix, exp.toString());
    }

    @Override
    public void slowConsumerDetected(Connection conn, Consumer consumer) {
        LOG.warn("{}: slow consumer: the client's pending buffer is full and jnats drops messages", prefix);
    }

    @Override
    public void heartbeatAlarm(Connection conn, JetStreamSubscription sub, long lastStreamSequence, long lastConsumerSequence) {
        LOG.debug("{}: heartbeat alarm at stream sequence {}; the consumer re-pulls", prefix, lastStreamSequence);
    }

    @Override
    public void pullStatusError(Connection conn, JetStreamSubscription sub, Status status) {
        LOG.warn("{}: pull error {} {}", prefix, status.getCode(), status.getMessage());
    }

    @Override
    public void pullStatusWarning(Connection conn, JetStreamSubscription sub, Status status) {
        LOG.debug("{}: pull warning {} {}", prefix, status.getCode(), status.getMessage());
    }
}
