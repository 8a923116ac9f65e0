package io.msgbridge.runtime;

import io.msgbridge.metrics.PipelineMetrics;
import io.msgbridge.offsets.Claim;
import io.msgbridge.offsets.OffsetCommit;
import io.msgbridge.offsets.OffsetStore;
import io.msgbridge.offsets.OffsetStoreException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Writes a pipeline's watermarks to the offset store, all partitions in one transaction, then tells
 * the source so it can acknowledge cumulatively. A failed commit is logged once per outage and tried
 * again next interval (scheduled work survives its own failures); positions are never lost because the tracker keeps them pending
 * until a commit succeeds. A refused commit (claim lost to another daemon) is reported to the caller.
 */
final class Committer {
    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);
    /**
     * How often a pipeline with nothing to commit still writes to the store, to renew its claim: well
     * within the shortest lease (15 s), so a live pipeline never loses its claim for being idle.
     */
    static final Duration RENEW_EVERY = Duration.ofSeconds(5);

    /** The claim was taken over by another daemon: the pipeline must stop without committing again. */
    static final class ClaimLost extends Exception {
        ClaimLost(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final OffsetTracker tracker;
    private final OffsetStore store;
    private final Claim claim;
    private final Source source;
    private final PipelineMetrics metrics;
    private final Clock clock;
    private final Map<String, String> committed = new ConcurrentHashMap<>();
    private final Supplier<Set<String>> parkedNow;
    /** The parked keys as the store has them; only the commit thread (one at a time) uses it. */
    private Set<String> parkedCommitted;
    private volatile boolean healthy = true;
    private volatile Instant lastCommitAt;

    Committer(OffsetTracker tracker, OffsetStore store, Claim claim, Source source, PipelineMetrics metrics,
              Clock clock, Map<String, Position> stored, Set<String> parkedStored, Supplier<Set<String>> parkedNow) {
        this.tracker = tracker;
        this.store = store;
        this.claim = claim;
        this.source = source;
        this.metrics = metrics;
        this.clock = clock;
        this.parkedCommitted = Set.copyOf(parkedStored);
        this.parkedNow = parkedNow;
        stored.forEach((partition, position) -> committed.put(partition, position.offset()));
    }

    /**
     * Commits what is pending. With nothing pending the store is written only to renew the claim, once
     * every {@link #RENEW_EVERY}, so an idle pipeline costs the store next to nothing. Returns the error
     * text when the store is unreachable, null on success (or when there was nothing to write).
     */
    String commit() throws ClaimLost {
        Set<String> parked = new TreeSet<>(parkedNow.get());
        List<OffsetCommit> pending = tracker.pending();
        parked.addAll(parkedNow.get());
        if (pending.isEmpty() && parked.equals(parkedCommitted) && healthy && lastCommitAt != null
                && Duration.between(lastCommitAt, clock.instant()).compareTo(RENEW_EVERY) < 0) {
            return null;
        }
        // Keys parked before or after the positions were read, so the transaction never has a position
        // past a record without that record's key parked where it must be: a lane parks a key before
        // the record that parked it is done (read after, it is there), and unparks a skipped key only
        // after its held records are done (read before, it is there unless they are in the positions).
        Optional<Set<String>> parkedChange = parked.equals(parkedCommitted) ? Optional.empty() : Optional.of(parked);
        long start = System.nanoTime();
        try {
            store.commit(claim, pending, parkedChange);
        } catch (OffsetStoreException e) {
            metrics.commitFailed();
            if (!e.retriable()) {
                throw new ClaimLost(e.getMessage(), e);
            }
            if (healthy) {
                LOG.warn("commit of {} partitions failed, keeping them pending and trying again: {}",
                        pending.size(), e.getMessage());
            }
            healthy = false;
            return "offset commit failed: " + e.getMessage();
        }
        tracker.committed(pending);
        parkedCommitted = parked;
        metrics.committed(Duration.ofNanos(System.nanoTime() - start));
        lastCommitAt = clock.instant();
        if (!healthy) {
            LOG.info("commits resumed");
        }
        healthy = true;
        if (!pending.isEmpty()) {
            Map<String, Position> watermarks = new TreeMap<>();
            for (OffsetCommit commit : pending) {
                watermarks.put(commit.position().partition(), commit.position());
                committed.put(commit.position().partition(), commit.position().offset());
            }
            source.committed(watermarks);
        }
        return null;
    }

    boolean healthy() {
        return healthy;
    }

    /**
     * Whether there is nothing to commit but the claim's renewal: no record outstanding or done since
     * the last commit, the parked keys as stored, and the store answering.
     */
    boolean idle() {
        return healthy && tracker.oldest() == null && tracker.pending().isEmpty() && parkedNow.get().equals(parkedCommitted);
    }

    Instant lastCommitAt() {
        return lastCommitAt;
    }

    Map<String, String> committedPositions() {
        return new TreeMap<>(committed);
    }
}
