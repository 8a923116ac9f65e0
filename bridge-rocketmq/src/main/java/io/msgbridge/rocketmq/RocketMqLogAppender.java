package io.msgbridge.rocketmq;

import org.apache.rocketmq.logging.ch.qos.logback.classic.Level;
import org.apache.rocketmq.logging.ch.qos.logback.classic.spi.ILoggingEvent;
import org.apache.rocketmq.logging.ch.qos.logback.classic.spi.IThrowableProxy;
import org.apache.rocketmq.logging.ch.qos.logback.classic.spi.ThrowableProxy;
import org.apache.rocketmq.logging.ch.qos.logback.core.AppenderBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands rocketmq-client's log events to the daemon's own logging (SLF4J), under the client's logger
 * names ({@code org.apache.rocketmq...}). The client logs through a shaded copy of logback of its own
 * which, left alone, writes files under {@code ~/logs/rocketmqlogs}; {@code rmq.logback.xml} in this
 * module, which that copy finds before the client's own configuration, sends everything here instead.
 */
public final class RocketMqLogAppender extends AppenderBase<ILoggingEvent> {
    /**
     * What the lite pull consumer logs at WARN for each of its queues whenever it shuts down (its pull
     * threads are interrupted on purpose): a stopped or reloaded pipeline is not a warning.
     */
    private static final List<String> SHUTDOWN_NOISE = List.of("Polling thread was interrupted", "The Pull Task is cancelled");

    /**
     * What the client logs when a consumer shuts down while its pull threads still wait on a pull: each
     * failed request, a warning, then an error with a stack trace per pull. At any other time the same
     * lines report a real failure (the source reports a lost broker itself, but they stay), so they are
     * dropped only while a consumer of this JVM is shutting down and for {@link #SETTLE_NANOS} after.
     */
    private static final List<String> CLOSING_NOISE = List.of("invokeSync: send request exception",
            "An error occurred in pull message process");
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final AtomicInteger CLOSING = new AtomicInteger();
    private static volatile long closedAt = System.nanoTime() - 2 * SETTLE_NANOS;

    /** Runs a client's shutdown with the lines a shutdown makes left out of the log. */
    static void shutdownQuietly(Runnable shutdown) {
        CLOSING.incrementAndGet();
        try {
            shutdown.run();
        } finally {
            closedAt = System.nanoTime();
            CLOSING.decrementAndGet();
        }
    }

    private static boolean closing() {
        return CLOSING.get() > 0 || System.nanoTime() - closedAt < SETTLE_NANOS;
    }

    @Override
    protected void append(ILoggingEvent event) {
        String text = event.getMessage();
        if (text != null && SHUTDOWN_NOISE.stream().anyMatch(text::startsWith)) {
            return;
        }
        if (text != null && CLOSING_NOISE.stream().anyMatch(text::startsWith) && closing()) {
            return;
        }
        Logger logger = LoggerFactory.getLogger(event.getLoggerName());
        Throwable error = event.getThrowableProxy() instanceof ThrowableProxy proxy ? proxy.getThrowable() : null;
        String message = event.getFormattedMessage();
        IThrowableProxy other = error == null ? event.getThrowableProxy() : null;
        if (other != null) {
            message += " (" + other.getClassName() + ": " + other.getMessage() + ")";
        }
        int level = event.getLevel().toInt();
        if (level >= Level.ERROR_INT) {
            logger.error(message, error);
        } else if (level >= Level.WARN_INT) {
            logger.warn(message, error);
        } else if (level >= Level.INFO_INT) {
            logger.info(message, error);
        } else if (level >= Level.DEBUG_INT) {
            logger.debug(message, error);
        } else {
            logger.trace(message, error);
        }
    }
}
