package io.msgbridge.nats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * A JetStream consumer's pending count, cheap to read from any thread: updated for free from each
 * delivered message's metadata, and from a server request (made by the pump thread when it is idle)
 * at most once per {@code refreshEvery}, or per {@code refreshIdleEvery} while the count is 0: an idle
 * consumer's count stays 0 until a message is stored, and then its open pull request brings the
 * message, and the count with it. -1 until known.
 */
final class LagTracker {
    private static final Logger LOG = LoggerFactory.getLogger(LagTracker.class);

    /** A server request for the pending count. */
    @FunctionalInterface
    interface PendingQuery {
        long pending() throws Exception;
    }

    private final long refreshNanos;
    private final long refreshIdleNanos;
    private volatile long value = -1;
    private volatile long updatedNanos = System.nanoTime();

    LagTracker(Duration refreshEvery, Duration refreshIdleEvery) {
        this.refreshNanos = refreshEvery.toNanos();
        this.refreshIdleNanos = refreshIdleEvery.toNanos();
    }

    void observe(long pending) {
        value = pending;
        updatedNanos = System.nanoTime();
    }

    void refreshIfStale(PendingQuery query) {
        long known = value;
        if (known >= 0 && System.nanoTime() - updatedNanos < (known == 0 ? refreshIdleNanos : refreshNanos)) {
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
