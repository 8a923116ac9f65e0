package io.msgbridge.nats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * A JetStream consumer's pending count, cheap to read from any thread: updated for free from each
 * delivered message's metadata, and from a server request at most once per {@code refreshEvery}
 * (made by the pump thread when it is idle). -1 until known.
 */
final class LagTracker {
    private static final Logger LOG = LoggerFactory.getLogger(LagTracker.class);

    /** A server request for the pending count. */
    @FunctionalInterface
    interface PendingQuery {
        long pending() throws Exception;
    }

    private final long refreshNanos;
    private volatile long value = -1;
    private volatile long updatedNanos = System.nanoTime();

    LagTracker(Duration refreshEvery) {
        this.refreshNanos = refreshEvery.toNanos();
    }

    void observe(long pending) {
        value = pending;
        updatedNanos = System.nanoTime();
    }

    void refreshIfStale(PendingQuery query) {
        if (value >= 0 && System.nanoTime() - updatedNanos < refreshNanos) {
            return;
        }
        updatedNanos = System.nanoTime();
        try {
            value = query.pending();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("pending count not refreshed: {}", e.toString());
        }
    }

    long value() {
        return value;
    }
}
