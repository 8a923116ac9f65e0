package io.msgbridge.runtime;

import io.msgbridge.config.PipelineConfig;
import io.msgbridge.metrics.PipelineMetrics;
import io.msgbridge.offsets.Claim;
import io.msgbridge.offsets.OffsetStore;
import io.msgbridge.offsets.StoredOffset;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One pipeline: source → lanes → sink, with retry, dead letters, the offset tracker and the
 * committer. {@link #run()} is its one run loop with named steps: claim, load positions, connect,
 * pump, drain, final commit, close. It runs on its own thread; {@link #stop()} may be called from any.
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final int MAX_BATCH = 1000;

    private final PipelineConfig config;
    private final OffsetStoreGate store;
    private final String owner;
    private final PipelineMetrics metrics;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final Duration drainTimeout;
    private final Source source;
    private final Sink sink;
    private final Sink deadLetter;
    private final OffsetTracker tracker = new OffsetTracker();
    private final InFlightLimiter limiter;
    private final PipelineOutcomes outcomes;
    private final ParkedKeys parked = new ParkedKeys();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    /** Opens when the pump and drain are done: the commit loop ends after the commit it is making. */
    private final CountDownLatch commitsStop = new CountDownLatch(1);
    private volatile PipelineState state = PipelineState.CREATED;
    private volatile Committer committer;
    private volatile String pollError;
    private volatile Lane[] lanes = new Lane[0];
    /** Per lane, the records of the current poll not yet handed to it; the pump's own. */
    private final List<List<InFlightRecord>> routed = new ArrayList<>();
    private int roundRobin;

    public Pipeline(PipelineConfig config, OffsetStoreGate store, String owner, PipelineMetrics metrics,
                    ScheduledExecutorService timer, Clock clock, Duration drainTimeout) {
        this.config = config;
        this.store = store;
        this.owner = owner;
        this.metrics = metrics;
        this.timer = timer;
        this.clock = clock;
        this.drainTimeout = drainTimeout;
        this.source = config.source().create();
        this.sink = config.sink().create();
        this.deadLetter = config.deadLetter().map(spec -> spec.create()).orElse(null);
        this.limiter = new InFlightLimiter(config.maxInFlightRecords(), config.maxInFlightBytes());
        this.outcomes = new PipelineOutcomes(limiter, metrics, clock);
        metrics.bindGauges(limiter::records, limiter::bytes, source::lag);
        metrics.bindParked(parked::count, parked::records);
    }

    public String name() {
        return config.name();
    }

    /** Runs the pipeline until {@link #stop()}; never throws. */
    public void run() {
        MDC.put("pipeline", config.name());
        Claim claim = null;
        try {
            move(PipelineState.STARTING);
            Retrying retrying = new Retrying(this::stopping, outcomes::error, this::pause);
            claim = retrying.call("claiming pipeline in the offset store", () -> store.claim(config.name(), owner));
            Map<String, Position> stored = storedPositions(retrying.call("loading stored positions",
                    () -> store.load(config.name())));
            SortedSet<String> parkedBefore = retrying.call("loading parked keys", () -> store.parkedKeys(config.name()));
            LOG.info("claimed (epoch {}); stored positions {}", claim.epoch(), stored.isEmpty() ? "none" : stored.values());
            committer = new Committer(tracker, store.store(), claim, source, metrics, clock, stored, parkedBefore, parked::keys);
            connect(retrying, stored);
            startLanes(parkedBefore);
            move(PipelineState.RUNNING);
            LOG.info("running: {} -> {} ({} lanes, key {})", config.source().describe(), config.sink().describe(),
                    lanes.length, config.key());
            Thread commits = Thread.ofVirtual().name(config.name() + "-committer").start(this::commitLoop);
            pump();
            drain();
            commitsStop.countDown();
            commits.join();
            finalCommit();
            move(PipelineState.STOPPED);
        } catch (Retrying.Stopped e) {
            move(PipelineState.STOPPED);
        } catch (Committer.ClaimLost e) {
            fail("stopped without committing: " + e.getMessage(), null);
            claim = null;
        } catch (PermanentException e) {
            fail(e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            move(PipelineState.STOPPED);
        } catch (RuntimeException e) {
            fail("unexpected error: " + e, e);
        } finally {
            commitsStop.countDown();
            closeAll(claim);
            finished.countDown();
        }
    }

    /** Asks the pipeline to stop polling, drain and commit. Returns at once. */
    public void stop() {
        stopRequested.countDown();
    }

    /** Waits for {@link #run()} to finish; true when it did within the timeout. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Releases a parked key (its held records go on to the sink, in order) or skips it (they go to the
     * dead-letter route). Returns false when the key is not parked.
     */
    public boolean unpark(String key, boolean skip) {
        if (!parked.snapshot().containsKey(key) || lanes.length == 0) {
            return false;
        }
        Lane lane = lanes[laneOf(key)];
        if (skip) {
            lane.skip(key);
        } else {
            lane.release(key);
        }
        return true;
    }

    public PipelineStatus status() {
        PipelineState current = state;
        Committer c = committer;
        boolean commitsHealthy = c == null || c.healthy();
        boolean ready = current == PipelineState.RUNNING && parked.count() == 0 && source.connected() && sink.connected()
                && (deadLetter == null || deadLetter.connected()) && commitsHealthy && pollError == null
                && outcomes.holding() == 0;
        PipelineState reported = current == PipelineState.RUNNING && !ready ? PipelineState.DEGRADED : current;
        PipelineOutcomes.Counts counts = outcomes.counts();
        return new PipelineStatus(config.name(), reported, ready, config.source().describe(),
                config.sink().describe(), counts.in(), counts.out(), counts.failed(), counts.deadLettered(),
                limiter.records(), c == null ? Map.of() : c.committedPositions(),
                c == null ? null : c.lastCommitAt(), parked.snapshot(), lastError(current), outcomes.lastErrorAt());
    }

    /** The last error, led by the connection that is down now, if one is: that is why it is not ready. */
    private String lastError(PipelineState current) {
        String last = outcomes.lastError();
        return disconnected(current).map(down -> last == null ? down : down + "; last error: " + last).orElse(last);
    }

    private Optional<String> disconnected(PipelineState current) {
        if (current != PipelineState.RUNNING) {
            return Optional.empty();
        }
        if (!source.connected()) {
            return Optional.of("source " + config.source().describe() + " is not connected");
        }
        if (!sink.connected()) {
            return Optional.of("sink " + config.sink().describe() + " is not connected");
        }
        if (deadLetter != null && !deadLetter.connected()) {
            return Optional.of("dead-letter route " + config.deadLetter().orElseThrow().describe()
                    + " is not connected");
        }
        return Optional.empty();
    }

    private void connect(Retrying retrying, Map<String, Position> stored) throws Retrying.Stopped, InterruptedException {
        retrying.call("connecting sink " + config.sink().describe(), () -> {
            sink.start(new SinkContext(config.name(), SinkContext.Role.SINK));
            return null;
        });
        if (deadLetter != null) {
            retrying.call("connecting dead-letter route", () -> {
                deadLetter.start(new SinkContext(config.name(), SinkContext.Role.DEAD_LETTER));
                return null;
            });
        }
        SourceContext context = new SourceContext(config.name(), config.resume(), stored, config.maxInFlightRecords());
        retrying.call("connecting source " + config.source().describe(), () -> {
            source.start(context);
            return null;
        });
    }

    /**
     * Starts the lanes, with the keys parked when the pipeline last committed parked again (their held
     * records were not committed and come again from the source). With {@code on-poison} no longer
     * {@code park-key}, those keys are let go: the next commit forgets them.
     */
    private void startLanes(SortedSet<String> parkedBefore) {
        FailurePolicy policy = new FailurePolicy(config.retry(), deadLetter != null);
        boolean parkOnPoison = config.onPoison() == PipelineConfig.OnPoison.PARK_KEY;
        lanes = new Lane[config.lanes()];
        for (int i = 0; i < lanes.length; i++) {
            routed.add(new ArrayList<>());
            lanes[i] = new Lane(config.name(), i, config.source().describe(), sink, deadLetter, policy, timer,
                    clock, outcomes, parkOnPoison, parked);
        }
        if (parkOnPoison) {
            parkedBefore.forEach(key -> lanes[laneOf(key)].parkAtStart(key));
            if (!parkedBefore.isEmpty()) {
                LOG.warn("{} keys stay parked from before, their records held until 'bridge keys release' or "
                        + "'bridge keys skip': {}", parkedBefore.size(), parkedBefore);
            }
        } else if (!parkedBefore.isEmpty()) {
            LOG.warn("{} keys parked before are let go, on-poison is no longer park-key: {}", parkedBefore.size(), parkedBefore);
        }
        for (Lane lane : lanes) {
            lane.start();
        }
    }

    /** The pump: polls only when there is room in flight, registers each record, routes it by key. */
    private void pump() throws InterruptedException {
        KeyExtractor keys = KeyExtractor.of(config.key());
        int failures = 0;
        while (!stopping()) {
            int room = limiter.awaitRoom(POLL_TIMEOUT);
            if (room == 0) {
                continue;
            }
            List<SourceRecord> batch;
            try {
                batch = source.poll(Math.min(room, MAX_BATCH), POLL_TIMEOUT);
                pollError = null;
                failures = 0;
            } catch (PermanentException e) {
                throw e;
            } catch (RuntimeException e) {
                failures++;
                pollError = "polling " + config.source().describe() + " failed: " + e.getMessage();
                outcomes.error(pollError);
                if (failures == 1) {
                    LOG.warn("{}; trying again", pollError);
                }
                pause(Duration.ofMillis(Math.min(5000, 100L * failures)));
                continue;
            }
            dispatch(batch, keys);
        }
    }

    /**
     * Registers each record of a poll and routes it by key. A lane gets all of the poll's records for it
     * in one hand-off, in source order, so a lane is woken once per poll rather than once per record.
     */
    private void dispatch(List<SourceRecord> batch, KeyExtractor keys) throws InterruptedException {
        long[] sizes = new long[batch.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = batch.get(i).message().sizeInBytes();
        }
        long bytes = 0;
        int taken = 0;
        Instant now = clock.instant();
        while (taken < sizes.length) {
            int fit = limiter.tryAcquire(sizes, taken);
            if (fit == 0) {
                if (!awaitBytes(sizes[taken])) {
                    LOG.info("stopping: {} records polled while waiting for room in flight are not taken in; "
                            + "not acknowledged, they are delivered again by a source that keeps them", sizes.length - taken);
                    break;
                }
                fit = 1;
            }
            for (int end = taken + fit; taken < end; taken++) {
                route(batch.get(taken), sizes[taken], keys, now);
                bytes += sizes[taken];
            }
        }
        handOff();
        outcomes.in(taken, bytes);
    }

    /** Registers one record whose room in flight is taken and routes it to its key's lane. */
    private void route(SourceRecord record, long size, KeyExtractor keys, Instant now) {
        OffsetTracker.Ticket ticket = tracker.register(record.position());
        String key;
        RuntimeException keyError = null;
        try {
            key = keys.keyOf(record.message());
        } catch (RuntimeException e) {
            key = null;
            keyError = e;
        }
        String id = config.name() + "/" + record.position().partition() + "/" + record.position().offset();
        InFlightRecord inFlight = new InFlightRecord(record, ticket, key, size, id, now);
        if (keyError != null) {
            inFlight.failedStage = io.msgbridge.spi.Stage.KEY;
            inFlight.lastError = keyError;
        }
        routed.get(laneOf(key)).add(inFlight);
    }

    /**
     * Hands the records routed so far to their lanes (the room may be waited for by exactly these), then
     * waits for room for {@code size} bytes, checking for a stop between waits: a sink that confirms
     * nothing must not keep the pump from stopping. False when stopping.
     */
    private boolean awaitBytes(long size) throws InterruptedException {
        handOff();
        while (!limiter.acquire(size, POLL_TIMEOUT)) {
            if (stopping()) {
                return false;
            }
        }
        return true;
    }

    /** Hands the records routed so far to their lanes. */
    private void handOff() {
        for (int i = 0; i < lanes.length; i++) {
            List<InFlightRecord> records = routed.get(i);
            if (!records.isEmpty()) {
                lanes[i].submit(records);
                routed.set(i, new ArrayList<>());
            }
        }
    }

    private int laneOf(String key) {
        if (key == null) {
            roundRobin = (roundRobin + 1) % lanes.length;
            return roundRobin;
        }
        return Math.floorMod(spread(key.hashCode()), lanes.length);
    }

    /**
     * Mixes a key's hash (murmur3's finaliser) before it picks a lane. With the raw hash, every key of
     * a lane shares its low bits, and so does its bucket in the lane's own HashMap of waiting keys:
     * with 1,000 keys over 16 lanes each lane used 4 to 9 buckets (up to 18 keys in one, so they turned
     * into trees), and those lookups were the largest single item of the lanes' CPU profile (about a
     * tenth of their samples) in the benchmark.
     */
    private static int spread(int hash) {
        int h = hash;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private void drain() throws InterruptedException {
        move(PipelineState.DRAINING);
        int inFlight = limiter.records();
        LOG.info("draining {} records in flight (at most {})", inFlight, drainTimeout);
        if (!limiter.awaitEmpty(drainTimeout)) {
            LOG.warn("drain timed out with {} records in flight; they are not committed and will be redelivered",
                    limiter.records());
        }
        for (Lane lane : lanes) {
            lane.stop();
        }
    }

    /**
     * Commits every commit interval until {@link #commitsStop} opens. The loop is told to stop, not
     * interrupted: an interrupt reaching a commit under way (a virtual thread's socket is closed when it
     * is interrupted in it) could lose the answer to a commit the store had made, and the final commit
     * would then add that commit's records to the store's count a second time.
     */
    private void commitLoop() {
        MDC.put("pipeline", config.name());
        Duration interval = config.commitInterval();
        try {
            while (!commitsStop.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
                try {
                    outcomes.commitError(committer.commit());
                } catch (Committer.ClaimLost e) {
                    LOG.error("claim lost, stopping without further commits: {}", e.getMessage());
                    outcomes.error(e.getMessage());
                    stop();
                    return;
                } catch (RuntimeException e) {
                    LOG.error("commit failed unexpectedly; trying again next interval", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void finalCommit() throws Committer.ClaimLost {
        String error = committer.commit();
        if (error == null) {
            LOG.info("final commit written: {}", committer.committedPositions());
        } else {
            LOG.warn("final commit failed; records after the last commit will be redelivered: {}", error);
        }
    }

    private void closeAll(Claim claim) {
        source.close();
        sink.close();
        if (deadLetter != null) {
            deadLetter.close();
        }
        if (claim != null) {
            store.release(claim);
        }
    }

    private Map<String, Position> storedPositions(Map<String, StoredOffset> stored) {
        Map<String, Position> positions = new HashMap<>();
        stored.forEach((partition, offset) -> positions.put(partition, offset.position()));
        return positions;
    }

    private boolean stopping() {
        return stopRequested.getCount() == 0;
    }

    /** Sleeps, cut short by {@link #stop()}. */
    private void pause(Duration duration) throws InterruptedException {
        stopRequested.await(duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void fail(String reason, Throwable error) {
        outcomes.error(reason);
        if (error == null) {
            LOG.error("failed: {}", reason);
        } else {
            LOG.error("failed: {}", reason, error);
        }
        move(PipelineState.FAILED);
    }

    private synchronized void move(PipelineState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("pipeline " + config.name() + " cannot move from " + state + " to " + next);
        }
        state = next;
    }
}
