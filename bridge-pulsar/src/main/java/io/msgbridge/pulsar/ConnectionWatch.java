package io.msgbridge.pulsar;

import io.msgbridge.config.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Logs a line when a started sink's producers lose their broker and one when they are all connected
 * again, instead of pulsar-client's line per reconnect attempt (which the daemon's logging silences):
 * the client reconnects by itself, and sends that fail meanwhile are the pipeline's to retry and log.
 * While the broker stays away, a reminder follows after {@link #FIRST_REMINDER}, then at doubling
 * intervals up to {@link #MAX_REMINDER}. {@link #check} runs on the sink's scheduler, whose thread
 * carries the pipeline in the MDC.
 */
final class ConnectionWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionWatch.class);
    static final Duration EVERY = Duration.ofSeconds(1);
    static final Duration FIRST_REMINDER = Duration.ofSeconds(30);
    static final Duration MAX_REMINDER = Duration.ofMinutes(10);

    private final String where;
    private final BooleanSupplier connected;
    private final LongSupplier nanoTime;
    private boolean down;
    private long downSinceNanos;
    private Duration reminderEvery;
    private long nextReminderNanos;

    ConnectionWatch(String where, BooleanSupplier connected, LongSupplier nanoTime) {
        this.where = where;
        this.connected = connected;
        this.nanoTime = nanoTime;
    }

    synchronized void check() {
        boolean up = connected.getAsBoolean();
        long now = nanoTime.getAsLong();
        if (!down && !up) {
            down = true;
            downSinceNanos = now;
            reminderEvery = FIRST_REMINDER;
            nextReminderNanos = now + FIRST_REMINDER.toNanos();
            LOG.warn("{}: lost the connection to the broker; the client reconnects by itself", where);
        } else if (down && up) {
            down = false;
            LOG.info("{}: connected to the broker again ({} down)", where, downFor(now));
        } else if (down && now - nextReminderNanos >= 0) {
            reminderEvery = reminderEvery.multipliedBy(2).compareTo(MAX_REMINDER) > 0 ? MAX_REMINDER : reminderEvery.multipliedBy(2);
            nextReminderNanos = now + reminderEvery.toNanos();
            LOG.warn("{}: still no connection to the broker after {}; next reminder in {}", where, downFor(now),
                    Durations.format(reminderEvery));
        }
    }

    private String downFor(long now) {
        return Durations.format(Duration.ofNanos(now - downSinceNanos).truncatedTo(ChronoUnit.SECONDS));
    }
}
