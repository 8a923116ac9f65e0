package io.msgbridge.pulsar;

import io.msgbridge.backend.OutageLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Logs a line when a started sink's producers lose their broker and one when they are all connected
 * again, instead of pulsar-client's line per reconnect attempt (which the daemon's logging silences):
 * the client reconnects by itself, and sends that fail meanwhile are the pipeline's to retry and log.
 * While the broker stays away, a reminder follows at the intervals of an {@link OutageLog}. {@link #check} runs on the sink's scheduler, whose thread
 * carries the pipeline in the MDC.
 */
final class ConnectionWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionWatch.class);
    static final Duration EVERY = Duration.ofSeconds(1);

    private final String where;
    private final BooleanSupplier connected;
    private final LongSupplier nanoTime;
    /** The outage the broker is in, null while connected. */
    private OutageLog outage;

    ConnectionWatch(String where, BooleanSupplier connected, LongSupplier nanoTime) {
        this.where = where;
        this.connected = connected;
        this.nanoTime = nanoTime;
    }

    synchronized void check() {
        boolean up = connected.getAsBoolean();
        long now = nanoTime.getAsLong();
        if (outage == null && !up) {
            outage = new OutageLog(now);
            LOG.warn("{}: lost the connection to the broker; the client reconnects by itself", where);
        } else if (outage != null && up) {
            LOG.info("{}: connected to the broker again ({} down)", where, outage.lasted(now));
            outage = null;
        } else if (outage != null && outage.summaryDue(now)) {
            LOG.warn("{}: still no connection to the broker after {}; next reminder in {}", where, outage.lasted(now),
                    outage.nextSummaryIn());
        }
    }
}
