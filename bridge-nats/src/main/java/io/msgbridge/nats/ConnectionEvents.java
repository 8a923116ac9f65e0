package io.msgbridge.nats;

import io.msgbridge.backend.OutageLog;
import io.msgbridge.backend.Plural;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamSubscription;
import io.nats.client.support.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Logs what jnats reports about one connection, each line starting with the pipeline's name, and
 * remembers the last permissions violation so that a publish that never got its PubAck can be told
 * apart from a slow broker; passes connection events on to an observer (a source re-pulls after a
 * reconnect, a sink dials again after a close), and pull status warnings to another (a source learns
 * that the server ended a pull request). A disconnect is logged with its reason: the last error or
 * exception jnats reported on the connection before it. One line per change of state: a connect
 * attempt that fails before the connection was ever up is left to the caller that retries it (it logs
 * its attempts), and while jnats keeps failing to reconnect, a summary (attempts, last error) follows
 * the disconnect line at the intervals of an {@link OutageLog}. Every line carries the pipeline in the MDC, as the runtime's own threads do.
 * Called on jnats threads: only logs, stores and calls the observers, which must not block either.
 */
final class ConnectionEvents implements ConnectionListener, ErrorListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionEvents.class);

    private final String pipeline;
    private final String prefix;
    private final LongSupplier nanoTime;
    private final AtomicReference<String> lastPermissionViolation = new AtomicReference<>();
    private final AtomicReference<Problem> lastProblem = new AtomicReference<>();
    private final BiConsumer<Connection, Events> observer;
    private final java.util.function.Consumer<Status> pullWarnings;

    /** Whether the connection was ever up; the outage it is in (null while up), and its failed reconnects. */
    private boolean everConnected;
    private OutageLog outage;
    private long failedReconnects;

    ConnectionEvents(String pipeline, String role, NatsConnectionOptions options) {
        this(pipeline, role, options, (conn, event) -> { });
    }

    ConnectionEvents(String pipeline, String role, NatsConnectionOptions options, BiConsumer<Connection, Events> observer) {
        this(pipeline, role, options, observer, status -> { });
    }

    ConnectionEvents(String pipeline, String role, NatsConnectionOptions options, BiConsumer<Connection, Events> observer,
                     java.util.function.Consumer<Status> pullWarnings) {
        this(pipeline, role, options, observer, pullWarnings, System::nanoTime);
    }

    ConnectionEvents(String pipeline, String role, NatsConnectionOptions options, BiConsumer<Connection, Events> observer,
                     java.util.function.Consumer<Status> pullWarnings, LongSupplier nanoTime) {
        this.pipeline = pipeline;
        this.nanoTime = nanoTime;
        this.prefix = pipeline + ": nats " + role + " " + options.describe();
        this.observer = observer;
        this.pullWarnings = pullWarnings;
    }

    /** The server's last "Permissions Violation" error text on this connection, or null. */
    String lastPermissionViolation() {
        return lastPermissionViolation.get();
    }

    /** The abstract (deprecated) variant is the one jnats requires; the default newer one delegates to it. */
    @Override
    @SuppressWarnings("deprecation")
    public void connectionEvent(Connection conn, Events type) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("pipeline", pipeline)) {
            switch (type) {
                case DISCONNECTED -> disconnected();
                case RECONNECTED -> reconnected(conn.getConnectedUrl());
                case CLOSED -> LOG.debug("{}: closed", prefix);
                case CONNECTED -> connected(conn.getConnectedUrl());
                default -> LOG.debug("{}: {}", prefix, type);
            }
        }
        observer.accept(conn, type);
    }

    private synchronized void connected(String url) {
        everConnected = true;
        outage = null;
        LOG.debug("{}: connected to {}", prefix, url);
    }

    private synchronized void disconnected() {
        String reason = disconnectReason();
        if (!everConnected) {
            LOG.debug("{}: connect attempt failed ({})", prefix, reason);
            return;
        }
        long now = nanoTime.getAsLong();
        if (outage == null) {
            outage = new OutageLog(now);
            failedReconnects = 0;
            LOG.warn("{}: disconnected ({}); reconnecting", prefix, reason);
            return;
        }
        failedReconnects++;
        if (outage.summaryDue(now)) {
            LOG.warn("{}: still disconnected after {} over {}, last error: {}; next summary in {}", prefix,
                    Plural.of(failedReconnects, "reconnect attempt"), outage.lasted(now), reason, outage.nextSummaryIn());
        } else {
            LOG.debug("{}: reconnect attempt {} failed ({})", prefix, failedReconnects, reason);
        }
    }

    private synchronized void reconnected(String url) {
        OutageLog ended = outage;
        LOG.info("{}: reconnected to {} after {} ({} down)", prefix, url, Plural.of(failedReconnects + 1, "attempt"),
                ended == null ? "0s" : ended.lasted(nanoTime.getAsLong()));
        outage = null;
    }

    /** An error or exception jnats reported, and when. */
    private record Problem(String text, long atNanos) {
        /** jnats reports what breaks a connection just before it reports the disconnect. */
        private static final long RECENT_NANOS = 10_000_000_000L;

        boolean recent() {
            return System.nanoTime() - atNanos < RECENT_NANOS;
        }
    }

    /** What jnats reported just before the disconnect, taken so that the next disconnect gets its own. */
    private String disconnectReason() {
        Problem problem = lastProblem.getAndSet(null);
        return problem != null && problem.recent() ? problem.text()
                : "no error reported; the server closed the connection, and its log says why (a slow consumer, a stale connection)";
    }

    @Override
    public void errorOccurred(Connection conn, String error) {
        if (error != null && error.toLowerCase(java.util.Locale.ROOT).contains("permissions violation")) {
            lastPermissionViolation.set(error);
        }
        lastProblem.set(new Problem("server error: " + error, System.nanoTime()));
        try (MDC.MDCCloseable ignored = MDC.putCloseable("pipeline", pipeline)) {
            LOG.warn("{}: server error: {}", prefix, error);
        }
    }

    /** Most are the reason of a disconnect that follows (logged with it) or of a failure reported elsewhere. */
    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        lastProblem.set(new Problem(exp.toString(), System.nanoTime()));
        try (MDC.MDCCloseable ignored = MDC.putCloseable("pipeline", pipeline)) {
            LOG.debug("{}: {}", prefix, exp.toString());
        }
    }

    @Override
    public void slowConsumerDetected(Connection conn, Consumer consumer) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("pipeline", pipeline)) {
            LOG.warn("{}: slow consumer: the client's pending buffer is full and jnats drops messages", prefix);
        }
    }

    @Override
    public void heartbeatAlarm(Connection conn, JetStreamSubscription sub, long lastStreamSequence, long lastConsumerSequence) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("pipeline", pipeline)) {
            LOG.debug("{}: heartbeat alarm at stream sequence {}; the consumer re-pulls", prefix, lastStreamSequence);
        }
    }

    @Override
    public void pullStatusError(Connection conn, JetStreamSubscription sub, Status status) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("pipeline", pipeline)) {
            LOG.warn("{}: pull error {} {}", prefix, status.getCode(), status.getMessage());
        }
    }

    @Override
    public void pullStatusWarning(Connection conn, JetStreamSubscription sub, Status status) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("pipeline", pipeline)) {
            LOG.debug("{}: pull warning {} {}", prefix, status.getCode(), status.getMessage());
        }
        pullWarnings.accept(status);
    }
}
