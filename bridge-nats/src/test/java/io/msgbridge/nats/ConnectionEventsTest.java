package io.msgbridge.nats;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener.Events;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** What is logged of a connection's events: one line per change of state, repeats summarised, each tagged with its pipeline. */
@Tag("integration")
class ConnectionEventsTest {
    private static final Connection CONNECTION = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class}, (proxy, method, args) -> method.getName().equals("getConnectedUrl") ? "nats://a:4222" : null);

    private final AtomicLong now = new AtomicLong();
    private final ConnectionEvents events = new ConnectionEvents("orders", "source", NatsConnectionOptions.of("a", "nats://a:4222"),
            (conn, type) -> { }, status -> { }, now::get);
    private final Logger logger = (Logger) LoggerFactory.getLogger(ConnectionEvents.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void capture() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
    }

    private void failedAttempt(Duration after) {
        now.addAndGet(after.toNanos());
        events.exceptionOccurred(CONNECTION, new IOException("Connection refused"));
        events.connectionEvent(CONNECTION, Events.DISCONNECTED);
    }

    private java.util.List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aServerNeverReachedLogsNoDisconnectForEachConnectAttemptTheRetryingCallerReportsThem() {
        for (int i = 0; i < 10; i++) {
            failedAttempt(Duration.ofSeconds(2));
        }

        assertThat(warnings()).isEmpty();
    }

    @Test
    void aServerLostForLongIsOneDisconnectLineThenSummariesAtDoublingIntervalsThenOneReconnectLine() {
        events.connectionEvent(CONNECTION, Events.CONNECTED);
        failedAttempt(Duration.ZERO);
        for (int i = 0; i < 60; i++) {
            failedAttempt(Duration.ofSeconds(2));
        }
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        events.connectionEvent(CONNECTION, Events.RECONNECTED);

        String where = "orders: nats source connection 'a' (nats://a:4222)";
        assertThat(warnings()).containsExactly(
                where + ": disconnected (java.io.IOException: Connection refused); reconnecting",
                where + ": still disconnected after 15 reconnect attempts over 30s, last error: java.io.IOException: Connection"
                        + " refused; next summary in 1m",
                where + ": still disconnected after 45 reconnect attempts over 90s, last error: java.io.IOException: Connection"
                        + " refused; next summary in 2m",
                where + ": reconnected to nats://a:4222 after 61 attempts (121s down)");
        assertThat(log.list).extracting(e -> e.getMDCPropertyMap().get("pipeline")).containsOnly("orders");
    }
}
