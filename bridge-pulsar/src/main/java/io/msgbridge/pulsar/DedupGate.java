package io.msgbridge.pulsar;

import io.msgbridge.spi.Position;

/**
 * Keeps a deduplicating producer from storing a record after an earlier one of its source partition
 * failed, until the runtime publishes again from the failed one.
 *
 * <p>Why: the broker drops a message whose sequence id is not above the highest it stored for the
 * producer name. With several records in flight, if sequence {@code s} fails and {@code s+1} is then
 * stored, the runtime's re-publish of {@code s} is dropped as a duplicate: the record is lost. The
 * client keeps what it queued in order (a send timeout fails every pending message, a reconnect
 * re-sends them in order), so the danger is a record queued after the client dropped {@code s}: one
 * the runtime published before it learned that {@code s} failed.
 *
 * <p>So, after a retriable failure of {@code s} ({@link #failed}), a publish that goes on forward (a
 * sequence above the last one tried) is refused, retriable ({@link #admit} returns false); the
 * runtime's rewind steps back (it publishes the failed record again, or the record after it when it
 * gave the failed one up to the dead-letter route) and that step back opens the gate. Records of one
 * source partition come in source order, so outside a rewind every publish goes forward.
 *
 * <p>Thread-safe; its lock is taken last, never held while taking another.
 */
final class DedupGate {
    private long failedAt = Position.NO_SEQUENCE;
    private long lastTried = Position.NO_SEQUENCE;

    /**
     * Whether a record with {@code sequence} may be sent now; records it as the last one tried either
     * way.
     */
    synchronized boolean admit(long sequence) {
        boolean forward = lastTried == Position.NO_SEQUENCE || sequence > lastTried;
        lastTried = sequence;
        if (failedAt == Position.NO_SEQUENCE) {
            return true;
        }
        if (forward) {
            return false;
        }
        failedAt = Position.NO_SEQUENCE;
        return true;
    }

    /**
     * A publish of {@code sequence} failed and may be published again: close the gate behind it. Also
     * counts as tried, for a publish that failed before it was {@linkplain #admit admitted} (its
     * producer could not be created), so that its own re-publish is a step back.
     */
    synchronized void failed(long sequence) {
        failedAt = failedAt == Position.NO_SEQUENCE ? sequence : Math.min(failedAt, sequence);
        lastTried = lastTried == Position.NO_SEQUENCE ? sequence : Math.max(lastTried, sequence);
    }

    /** The lowest failed sequence the runtime has not published again yet, or {@link Position#NO_SEQUENCE}. */
    synchronized long failedAt() {
        return failedAt;
    }
}
