package io.msgbridge.runtime;

import io.msgbridge.backend.DurationText;
import io.msgbridge.backend.Plural;
import io.msgbridge.config.PipelineConfig;
import io.msgbridge.metrics.PipelineMetrics;
import io.msgbridge.offsets.Claim;
import io.msgbridge.offsets.OffsetStore;
import io.msgbridge.offsets.StoredOffset;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.SinkOrdering;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
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
    private final SourceProgress progress;
    private final MemoryBudget budget;
    /** The bytes the source may read ahead: its share of the memory budget (see {@link SourceContext#readAhead()}). */
    private final long readAhead;
    private final StallWatch stalls;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile PipelineState state = PipelineState.CREATED;
    private volatile Committer committer;
    private volatile CommitLoop commits;
    private volatile String pollError;
    private volatile Lane[] lanes = new Lane[0];
    /** What killed a lane, if one died: the pipeline fails with it. */
    private volatile RuntimeException laneDeath;
    /** Whether it failed for a reason a fresh start may cure (a bug's exception), not its config or a lost claim. */
    private volatile boolean restartable;

    public Pipeline(PipelineConfig config, OffsetStoreGate store, String owner, PipelineMetrics metrics,
                    ScheduledExecutorService timer, Clock clock, Duration drainTimeout, MemoryBudget budget,
                    long readAhead) {
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
        this.budget = budget;
        this.readAhead = readAhead;
        this.limiter = new InFlightLimiter(config.maxInFlightRecords(), config.maxInFlightBytes(), budget);
        metrics.bindMemory(budget::total, budget::used);
        this.outcomes = new PipelineOutcomes(new Settlement(limiter), metrics, clock);
        this.progress = new SourceProgress(clock);
        metrics.bindGauges(limiter::records, limiter::bytes, source::lag);
        metrics.bindParked(parked::count, parked::records);
        this.stalls = new StallWatch(config.stallTimeout(), config.source().describe(), source, progress, tracker, clock);
        metrics.bindStalled(() -> stalls.stall() == null ? 0 : 1);
        metrics.bindReady(() -> ready(state) ? 1 : 0);
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
            claim = retrying.call("claiming pipeline in the offset store", () -> store.claim(config.name(), owner,
                    config.source().sharesPartitions()));
            Map<String, Position> stored = storedPositions(retrying.call("loading stored positions",
                    () -> store.load(config.name())));
            SortedSet<String> parkedBefore = retrying.call("loading parked keys", () -> store.parkedKeys(config.name()));
            LOG.info("claimed{} (epoch {}); stored positions {}", claim.shared() ? " beside the other daemons of its group" : "",
                    claim.epoch(), stored.isEmpty() ? "none" : stored.values());
            committer = new Committer(tracker, store.store(), claim, source, metrics, clock, stored, parkedBefore, parked::keys);
            connect(retrying, stored);
            SinkOrdering ordering = sink.ordering();
            startLanes(parkedBefore, ordering);
            Pump pump = new Pump(config.name(), config.source().describe(), source, config.key(), ordering.scope(),
                    tracker, limiter, budget, outcomes, clock, lanes, pumpControl(), progress);
            move(PipelineState.RUNNING);
            LOG.info("running: {} -> {} ({}, key {}, up to {} records of a{} at the sink at once)",
                    config.source().describe(), config.sink().describe(), Plural.of(lanes.length, "lane"), config.key().text(),
                    window(ordering), ordering.scope() == SinkOrdering.Scope.KEY ? " key" : " source partition");
            commits = CommitLoop.start(config.name(), config.commitInterval(), committer, outcomes, stalls, this::stop);
            pump.run();
            drain();
            commits.stopAndJoin();
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
        } catch (LaneDied e) {
            restartable = true;
            fail(e.getMessage() + "; records not yet committed will be redelivered", null);
        } catch (RuntimeException e) {
            restartable = true;
            fail("unexpected error: " + e, e);
        } finally {
            CommitLoop loop = commits;
            if (loop != null) {
                loop.stopAndJoinQuietly();
            }
            closeAll(claim);
            finished.countDown();
        }
    }

    /**
     * Whether the pipeline has failed for a reason that a fresh start of it may cure: an unexpected
     * error, a lane that died. Not refused credentials or another configuration error, which need a
     * changed file, nor a claim another daemon took over, which restarting would only take back.
     */
    public boolean failedRestartably() {
        return restartable && state == PipelineState.FAILED;
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
        Lane lane = lanes[Pump.laneOf(key, lanes.length)];
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
        boolean ready = ready(current);
        PipelineState reported = current == PipelineState.RUNNING && !ready ? PipelineState.DEGRADED : current;
        PipelineOutcomes.Counts counts = outcomes.counts();
        return new PipelineStatus(config.name(), reported, ready, config.source().describe(),
                config.sink().describe(), counts.in(), counts.out(), counts.failed(), counts.deadLettered(),
                limiter.records(), c == null ? Map.of() : c.committedPositions(),
                c == null ? null : c.lastCommitAt(), parked.snapshot(), ready ? null : reason(current),
                outcomes.lastError(), outcomes.lastErrorAt());
    }

    /** Ready as /health/ready and the {@code bridge_ready} gauge count it: running and nothing keeps it from moving. */
    private boolean ready(PipelineState current) {
        Committer c = committer;
        boolean commitsHealthy = c == null || c.healthy();
        return current == PipelineState.RUNNING && parked.count() == 0 && source.connected() && sink.connected()
                && (deadLetter == null || deadLetter.connected()) && commitsHealthy && pollError == null
                && outcomes.holding() == 0 && outcomes.unavailable() == null && stalls.stall() == null;
    }

    /** Why a pipeline that is not ready is not, as it is now (the last error may be older). */
    private String reason(PipelineState current) {
        Committer c = committer;
        if (current != PipelineState.RUNNING) {
            return "the pipeline is " + current + (current == PipelineState.FAILED ? ": see the last error" : "");
        }
        Optional<String> blocked = blocked(current);
        if (blocked.isPresent()) {
            return blocked.get();
        }
        if (parked.count() > 0) {
            return Plural.of(parked.count(), "parked key") + " holding records: bridge keys release or skip";
        }
        if (c != null && !c.healthy()) {
            return "offset commits are failing: see the last error";
        }
        if (pollError != null) {
            return "the source cannot poll: " + pollError;
        }
        int holding = outcomes.holding();
        return holding > 0 ? "holding " + Plural.of(holding, "failed record") + " that can go nowhere: see the last error"
                : "not ready";
    }

    private Optional<String> blocked(PipelineState current) {
        Optional<String> down = disconnected(current);
        if (down.isPresent() || current != PipelineState.RUNNING) {
            return down;
        }
        String unavailable = outcomes.unavailable();
        if (unavailable != null) {
            return Optional.of("destination unavailable: " + unavailable);
        }
        return Optional.ofNullable(stalls.stall()).map(stall -> "stalled: " + stall);
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
        long writeBuffer = Math.min(config.maxInFlightBytes(), budget.total());
        retrying.call("connecting sink " + config.sink().describe(), () -> {
            sink.start(new SinkContext(config.name(), SinkContext.Role.SINK, writeBuffer, metrics::duplicatesDropped));
            return null;
        });
        if (deadLetter != null) {
            retrying.call("connecting dead-letter route", () -> {
                deadLetter.start(new SinkContext(config.name(), SinkContext.Role.DEAD_LETTER, writeBuffer));
                return null;
            });
        }
        SourceContext context = new SourceContext(config.name(), config.resume(), stored, config.maxInFlightRecords(),
                readAhead);
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
    private void startLanes(SortedSet<String> parkedBefore, SinkOrdering ordering) {
        FailurePolicy policy = new FailurePolicy(config.retry(), deadLetter != null);
        boolean parkOnPoison = config.onPoison() == PipelineConfig.OnPoison.PARK_KEY;
        int window = window(ordering);
        Lane[] made = new Lane[config.lanes()];
        for (int i = 0; i < made.length; i++) {
            made[i] = new Lane(config.name(), i, config.source().describe(), sink, deadLetter, window, policy,
                    timer, clock, outcomes, parkOnPoison, parked, this::laneDied);
        }
        lanes = made;
        if (parkOnPoison) {
            parkedBefore.forEach(key -> made[Pump.laneOf(key, made.length)].parkAtStart(key));
            if (!parkedBefore.isEmpty()) {
                LOG.warn("{} keys stay parked from before, their records held until 'bridge keys release' or "
                        + "'bridge keys skip': {}", parkedBefore.size(), parkedBefore);
            }
        } else if (!parkedBefore.isEmpty()) {
            LOG.warn("{} keys parked before are let go, on-poison is no longer park-key: {}", parkedBefore.size(), parkedBefore);
        }
        for (Lane lane : made) {
            lane.start();
        }
    }

    /**
     * How many records of a key may be at the sink at once: what the sink can keep in order, except that
     * a parking pipeline ({@code on-poison: park-key}) publishes one at a time. Parking promises that
     * nothing of a key after a poison record reaches the sink before an operator decides, and records in
     * flight together with it could already be stored (a broker that refuses the poison record, as
     * JetStream does one above the stream's size limit, stores the ones after it).
     */
    private int window(SinkOrdering ordering) {
        return config.onPoison() == PipelineConfig.OnPoison.PARK_KEY ? 1 : ordering.window();
    }

    private void laneDied(RuntimeException error) {
        laneDeath = error;
    }

    private Pump.Control pumpControl() {
        return new Pump.Control() {
            @Override
            public boolean stopping() {
                return Pipeline.this.stopping();
            }

            @Override
            public void pause(Duration duration) throws InterruptedException {
                Pipeline.this.pause(duration);
            }

            @Override
            public void pollError(String error) {
                pollError = error;
            }

            @Override
            public void checkLanes() {
                RuntimeException death = laneDeath;
                if (death != null) {
                    throw new LaneDied(death);
                }
            }

            @Override
            public void recordsTaken() {
                CommitLoop loop = commits;
                if (loop != null) {
                    loop.recordsTaken();
                }
            }
        };
    }

    /** A lane's loop died: the pipeline fails rather than route records into a lane no one reads. */
    private static final class LaneDied extends RuntimeException {
        LaneDied(RuntimeException cause) {
            super("a lane stopped by an unexpected error: " + cause, cause);
        }
    }

    private void drain() throws InterruptedException {
        move(PipelineState.DRAINING);
        int inFlight = limiter.records();
        LOG.info("draining {} records in flight (at most {})", inFlight, DurationText.format(drainTimeout));
        if (!limiter.awaitEmpty(drainTimeout)) {
            LOG.warn("drain timed out with {} records in flight; they are not committed and will be redelivered",
                    limiter.records());
        }
        for (Lane lane : lanes) {
            lane.stop();
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
