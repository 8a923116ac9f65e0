package io.msgbridge.runtime;

import io.msgbridge.offsets.OffsetCommit;
import io.msgbridge.spi.Position;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per partition, the highest position below which every record is done (the watermark), whatever
 * order completions arrive in (commit only the contiguous done prefix, never the highest
 * position seen).
 *
 * <p>The pump thread {@link #register registers} records in source order; lane threads mark them
 * {@link Ticket#done() done} in any order; the committer takes {@link #pending()} commits and
 * {@link #committed confirms} them once stored. Memory is bounded by the records in flight.
 */
final class OffsetTracker {

    private final Map<String, PartitionState> partitions = new ConcurrentHashMap<>();

    /**
     * Registers the next record of its partition, received at {@code receivedAtMillis}. Called by the
     * pump thread in source order.
     */
    Ticket register(Position position, long receivedAtMillis) {
        PartitionState state = partitions.computeIfAbsent(position.partition(), p -> new PartitionState());
        return state.add(position, receivedAtMillis);
    }

    /** The record not yet done that was registered first, over all partitions; null when none is outstanding. */
    Oldest oldest() {
        Oldest oldest = null;
        for (PartitionState state : partitions.values()) {
            Oldest first = state.oldest();
            if (first != null && (oldest == null || first.registeredAtMillis() < oldest.registeredAtMillis())) {
                oldest = first;
            }
        }
        return oldest;
    }

    /** An outstanding record and when it was registered. */
    record Oldest(Position position, long registeredAtMillis) {
    }

    /** Per partition whose watermark moved since the last confirmed commit, what to commit now. */
    List<OffsetCommit> pending() {
        List<OffsetCommit> commits = new ArrayList<>();
        for (PartitionState state : partitions.values()) {
            OffsetCommit commit = state.pending();
            if (commit != null) {
                commits.add(commit);
            }
        }
        return commits;
    }

    /** The given commits were stored: they are no longer pending. */
    void committed(List<OffsetCommit> commits) {
        for (OffsetCommit commit : commits) {
            partitions.get(commit.position().partition()).committed(commit);
        }
    }

    /** The watermark of every partition that has one. */
    Map<String, Position> watermarks() {
        Map<String, Position> result = new java.util.TreeMap<>();
        partitions.forEach((partition, state) -> {
            Position watermark = state.watermark();
            if (watermark != null) {
                result.put(partition, watermark);
            }
        });
        return result;
    }

    /** One registered record; {@link #done()} marks it done, once. */
    static final class Ticket {
        private final PartitionState state;
        private final Position position;
        private final long registeredAtMillis;
        private boolean done;

        private Ticket(PartitionState state, Position position, long registeredAtMillis) {
            this.state = state;
            this.position = position;
            this.registeredAtMillis = registeredAtMillis;
        }

        Position position() {
            return position;
        }

        /** Marks the record done and advances the watermark over the contiguous done prefix. */
        void done() {
            state.markDone(this);
        }
    }

    private static final class PartitionState {
        private final ArrayDeque<Ticket> outstanding = new ArrayDeque<>();
        private Position watermark;
        private long doneSinceCommit;

        synchronized Ticket add(Position position, long registeredAtMillis) {
            Ticket ticket = new Ticket(this, position, registeredAtMillis);
            outstanding.addLast(ticket);
            return ticket;
        }

        synchronized void markDone(Ticket ticket) {
            if (ticket.done) {
                throw new IllegalStateException("record " + ticket.position + " marked done twice");
            }
            ticket.done = true;
            while (!outstanding.isEmpty() && outstanding.peekFirst().done) {
                watermark = outstanding.pollFirst().position;
                doneSinceCommit++;
            }
        }

        synchronized OffsetCommit pending() {
            return doneSinceCommit == 0 ? null : new OffsetCommit(watermark, doneSinceCommit);
        }

        synchronized void committed(OffsetCommit commit) {
            doneSinceCommit -= commit.recordsAdded();
        }

        synchronized Oldest oldest() {
            Ticket first = outstanding.peekFirst();
            return first == null ? null : new Oldest(first.position, first.registeredAtMillis);
        }

        synchronized Position watermark() {
            return watermark;
        }
    }
}
