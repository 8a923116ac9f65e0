package io.msgbridge.runtime;

import io.msgbridge.config.KeySpec;
import io.msgbridge.config.Sizes;
import io.msgbridge.runtime.InFlightRecord.Step;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.SinkOrdering;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceRecord;
import io.msgbridge.spi.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The pump of a pipeline: polls the source only while there is room in flight, registers each record
 * with the offset tracker, works out its keys and hands it to the lane of its ordering key. Runs on the
 * pipeline's thread.
 */
final class Pump {
    private static final Logger LOG = LoggerFactory.getLogger(Pump.class);
    /**
     * How long a poll may wait for records: how soon an idle pipeline's pump sees a stop or a dead lane.
     * A record is handed out the moment it arrives whatever this is; an idle pump wakes this often for
     * nothing, and a thread's wake has a cost of its own, more on a virtual machine. Well within the
     * time a {@link StallWatch} wants to have seen a poll in.
     */
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(2);
    /** How long a full pipeline waits for a refill's room before it polls with whatever room there is. */
    private static final Duration ROOM_TIMEOUT = Duration.ofMillis(100);
    private static final int MAX_BATCH = 1000;
    /**
     * Leads the ordering key of a record ordered by its source partition (shown so to operators in
     * parked keys). Should a computed key look the same, the two only share an order: never less order.
     */
    private static final String KEYLESS = "(partition) ";

    /** What the pump needs to hear from the pipeline around it. */
    interface Control {
        /** Whether the pipeline is asked to stop. */
        boolean stopping();

        /** Sleeps, cut short by a stop. */
        void pause(Duration duration) throws InterruptedException;

        /** Records why the source cannot be polled now, or null once it can again. */
        void pollError(String error);

        /** Throws the error that killed a lane, if one did: the pipeline fails. */
        void checkLanes();

        /** Records were registered and handed to their lanes. */
        void recordsTaken();
    }

    private final String pipeline;
    private final String sourceDescription;
    private final Source source;
    private final KeyExtractor keys;
    private final boolean orderKeyless;
    private final SinkOrdering.Scope scope;
    private final OffsetTracker tracker;
    private final InFlightLimiter limiter;
    private final MemoryBudget budget;
    private final PipelineOutcomes outcomes;
    private final Clock clock;
    private final Lane[] lanes;
    private final Control control;
    private final SourceProgress progress;
    /** Per lane, the records of the current poll not yet handed to it. */
    private final List<List<InFlightRecord>> routed = new ArrayList<>();
    private int roundRobin;

    Pump(String pipeline, String sourceDescription, Source source, KeySpec key, SinkOrdering.Scope scope,
         OffsetTracker tracker, InFlightLimiter limiter, MemoryBudget budget, PipelineOutcomes outcomes, Clock clock,
         Lane[] lanes, Control control, SourceProgress progress) {
        this.pipeline = pipeline;
        this.sourceDescription = sourceDescription;
        this.source = source;
        this.keys = KeyExtractor.of(key);
        this.orderKeyless = !(key instanceof KeySpec.None);
        this.scope = scope;
        this.tracker = tracker;
        this.limiter = limiter;
        this.budget = budget;
        this.outcomes = outcomes;
        this.clock = clock;
        this.lanes = lanes;
        this.control = control;
        this.progress = progress;
        for (int i = 0; i < lanes.length; i++) {
            routed.add(new ArrayList<>());
        }
    }

    /** Polls and routes until the pipeline is asked to stop. */
    void run() throws InterruptedException {
        int failures = 0;
        while (!control.stopping()) {
            control.checkLanes();
            int room = limiter.awaitRoom(ROOM_TIMEOUT);
            if (room == 0) {
                continue;
            }
            List<SourceRecord> batch;
            try {
                progress.polling();
                batch = source.poll(Math.min(room, MAX_BATCH), POLL_TIMEOUT);
                control.pollError(null);
                failures = 0;
            } catch (PermanentException e) {
                throw e;
            } catch (RuntimeException e) {
                failures++;
                String error = "polling " + sourceDescription + " failed: " + e.getMessage();
                control.pollError(error);
                outcomes.error(error);
                if (failures == 1) {
                    LOG.warn("{}; trying again", error);
                }
                control.pause(Duration.ofMillis(Math.min(5000, 100L * failures)));
                continue;
            }
            progress.polled(batch.size());
            dispatch(batch);
        }
    }

    /**
     * Registers each record of a poll and routes it by key. A lane gets all of the poll's records for it
     * in one hand-off, in source order, so a lane is woken once per poll rather than once per record. A
     * record takes its room in flight before it is registered; a poll that returned more than there is
     * room for waits for the room, record by record.
     */
    private void dispatch(List<SourceRecord> batch) throws InterruptedException {
        long[] sizes = new long[batch.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = MemoryBudget.cost(batch.get(i).message().sizeInBytes());
        }
        long bytes = 0;
        int taken = 0;
        Instant now = clock.instant();
        while (taken < sizes.length) {
            int fit = limiter.tryAcquire(sizes, taken);
            if (fit == 0) {
                if (!awaitRoomFor(sizes[taken])) {
                    LOG.info("stopping: {} records polled while waiting for room in flight are not taken in; "
                            + "not acknowledged, they are delivered again by a source that keeps them", sizes.length - taken);
                    break;
                }
                fit = 1;
            }
            for (int end = taken + fit; taken < end; taken++) {
                route(batch.get(taken), sizes[taken], now);
                bytes += sizes[taken];
            }
        }
        handOff();
        outcomes.in(taken, bytes);
        if (taken > 0) {
            control.recordsTaken();
        }
    }

    /** Registers one record whose room in flight is taken and routes it to its ordering key's lane. */
    private void route(SourceRecord record, long size, Instant now) {
        OffsetTracker.Ticket ticket = tracker.register(record.position(), now.toEpochMilli());
        Position position = record.position();
        String key = null;
        Step step = Step.TO_SINK;
        if (record.unreadable() != null) {
            step = new Step.Unfit(Stage.SOURCE, record.unreadable());
        } else if (size > budget.total()) {
            step = new Step.Unfit(Stage.SOURCE, new PermanentException("message of " + Sizes.format(size)
                    + " is larger than the daemon's whole memory budget of " + Sizes.format(budget.total())
                    + "; raise memory: (or the heap in config/jvm.options) to carry it"));
        } else {
            try {
                key = keys.keyOf(record.message());
            } catch (PermanentException e) {
                step = new Step.Unfit(Stage.KEY, e);
            } catch (RuntimeException e) {
                step = new Step.Unfit(Stage.KEY, new PermanentException(e.toString(), e));
            }
        }
        String orderingKey = step instanceof Step.Unfit && scope == SinkOrdering.Scope.KEY ? null : orderingKey(key, position);
        String id = pipeline + "/" + position.partition() + "/" + position.offset();
        InFlightRecord inFlight = new InFlightRecord(record, ticket, orderingKey, key, size, id, now, step);
        routed.get(laneOf(orderingKey)).add(inFlight);
    }

    /**
     * The key the record is ordered by: its source partition where the sink orders per partition; else
     * its key, and a record without one by its source partition (unless the pipeline orders nothing,
     * {@code key: none}), so that keyless records keep the order their partition gave them.
     */
    private String orderingKey(String key, Position position) {
        if (scope == SinkOrdering.Scope.SOURCE_PARTITION) {
            return KEYLESS + position.partition();
        }
        if (key != null) {
            return key;
        }
        return orderKeyless ? KEYLESS + position.partition() : null;
    }

    /**
     * Hands the records routed so far to their lanes (the room may be waited for by exactly these), then
     * waits for room for one record of {@code size} bytes, checking for a stop between waits: a sink that
     * confirms nothing must not keep the pump from stopping. False when stopping.
     */
    private boolean awaitRoomFor(long size) throws InterruptedException {
        handOff();
        while (!limiter.acquire(size, ROOM_TIMEOUT)) {
            if (control.stopping()) {
                return false;
            }
            control.checkLanes();
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

    /** The lane of an ordering key; records without one go round the lanes. */
    int laneOf(String orderingKey) {
        if (orderingKey == null) {
            roundRobin = (roundRobin + 1) % lanes.length;
            return roundRobin;
        }
        return laneOf(orderingKey, lanes.length);
    }

    /** The lane of a (non-null) ordering key among {@code lanes}. */
    static int laneOf(String orderingKey, int lanes) {
        return Math.floorMod(spread(orderingKey.hashCode()), lanes);
    }

    /**
     * Mixes a key's hash (murmur3's finaliser) before it picks a lane. With the raw hash, every key of a
     * lane shares its low bits, and so does its bucket in the lane's own map of keys, which then turns
     * into trees.
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
}
