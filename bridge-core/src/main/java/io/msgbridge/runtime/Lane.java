package io.msgbridge.runtime;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One lane: records of the keys that hash to it, published with at most one record of a key at the
 * sink at a time, so per key the sink sees source order, also across retries. Records of different
 * keys are in flight together. All state is confined to the lane's thread, which runs one loop over an
 * inbox of events: new records, a publish outcome, a retry that is due. Sink completions only enqueue
 * an event, so a broker's callback thread is never blocked (STYLE rule 10). The inbox holds at most
 * the pipeline's in-flight records (plus their outcomes), which the pump bounds.
 *
 * <p>Hand-offs are batched, because each one that finds the lane idle costs a wake-up of its thread:
 * the pump hands over all of a poll's records for this lane in one event, and the loop takes every
 * event waiting in the inbox at once, so outcomes that arrive while it works are handled in one pass.
 * The records a pass finished are settled (acked at the source, their room in flight freed) together
 * at its end: a client that writes from its own thread (jnats) then gets the acks as one burst, written
 * in one go, rather than being woken for each.
 */
final class Lane {
    private static final Logger LOG = LoggerFactory.getLogger(Lane.class);
    /**
     * Idle keys a lane keeps the state of before it forgets them. A key's state lives on while the key
     * is idle, because most keys come back soon: made anew each time a key got a record in flight and
     * dropped when it went idle (1,000 keys among 2,000 records in flight), a key's queue and map entry
     * lived just long enough to be copied by a young collection or two and promoted, then died in the
     * old generation, which filled between mark cycles (README, "Performance"). Bounded, as keys may be
     * unbounded (user ids and the like): about 200 bytes a key.
     */
    private static final int MAX_IDLE_KEYS = 4096;

    private sealed interface Event {
        record Submit(List<InFlightRecord> records) implements Event {
        }

        record Outcome(InFlightRecord record, Throwable error) implements Event {
        }

        record Attempt(InFlightRecord record) implements Event {
        }

        record Release(String key) implements Event {
        }

        record Skip(String key) implements Event {
        }

        record Stop() implements Event {
        }
    }

    private final String pipeline;
    private final String sourceDescription;
    private final Sink sink;
    private final Sink deadLetter;
    private final FailurePolicy policy;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final RecordListener listener;
    private final boolean parkOnPoison;
    private final ParkedKeys parked;
    private final Inbox<Event> inbox = new Inbox<>();
    /**
     * Per key with a record in flight, parked, or idle and not yet forgotten, its state: whether it is
     * busy (a record in flight, or parked) and the records waiting behind, in source order.
     */
    private final Map<String, KeyState> keys = new HashMap<>();
    /** Keys in {@link #keys} that are not busy: forgotten, all at once, when there are too many. */
    private int idleKeys;
    private final Set<String> parkedHere = new HashSet<>();
    /**
     * Keys an operator skipped whose held records are not all done yet. They stay in {@link ParkedKeys}
     * (and so in the offset store's parked keys) until then: a restart in between must find the key
     * parked, or its held records, not yet committed, would be redelivered to the sink.
     */
    private final Set<String> skipping = new HashSet<>();
    /** Skipped keys whose held records were all finished in this pass: unparked once they are settled. */
    private final List<String> skipsDone = new ArrayList<>();
    /**
     * When the current pass over the inbox began, in nanoseconds since the epoch: the time its outcomes
     * count as noticed (one clock read a pass).
     */
    private long passStartedNanos;
    /** Records to publish at the end of the current pass, in the order they became ready. */
    private final List<InFlightRecord> sends = new ArrayList<>();
    /** Records finished in the current pass, to be settled at its end. */
    private final List<InFlightRecord> finished = new ArrayList<>();
    private final Thread thread;

    Lane(String pipeline, int index, String sourceDescription, Sink sink, Sink deadLetter, FailurePolicy policy,
         ScheduledExecutorService timer, Clock clock, RecordListener listener, boolean parkOnPoison, ParkedKeys parked) {
        this.pipeline = pipeline;
        this.sourceDescription = sourceDescription;
        this.sink = sink;
        this.deadLetter = deadLetter;
        this.policy = policy;
        this.timer = timer;
        this.clock = clock;
        this.listener = listener;
        this.parkOnPoison = parkOnPoison;
        this.parked = parked;
        this.thread = Thread.ofVirtual().name(pipeline + "-lane-" + index).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /**
     * Parks a key the pipeline had parked when it last ran (the offset store kept it): its records wait
     * for an operator as before. Only before {@link #start()}.
     */
    void parkAtStart(String key) {
        KeyState state = new KeyState();
        state.busy = true;
        keys.put(key, state);
        parkedHere.add(key);
        parked.parked(key, 0);
    }

    /**
     * Hands records to the lane, in source order; a record with {@code failedStage} set goes straight
     * to failure handling. The lane owns the list from now on.
     */
    void submit(List<InFlightRecord> records) {
        inbox.add(new Event.Submit(records));
    }

    /** Lets a parked key's held records go on to the sink, in order. */
    void release(String key) {
        inbox.add(new Event.Release(key));
    }

    /** Sends a parked key's held records to the dead-letter route, then lets the key flow again. */
    void skip(String key) {
        inbox.add(new Event.Skip(key));
    }

    /** Stops the loop; records not yet done stay undone (not committed, redelivered later). */
    void stop() throws InterruptedException {
        inbox.add(new Event.Stop());
        thread.join(Duration.ofSeconds(10));
    }

    private void run() {
        MDC.put("pipeline", pipeline);
        List<Event> events = new ArrayList<>();
        try {
            while (true) {
                inbox.takeAll(events);
                passStartedNanos = InFlightRecord.epochNanos(clock.instant());
                for (Event event : events) {
                    switch (event) {
                        case Event.Submit s -> s.records().forEach(this::admit);
                        case Event.Outcome o -> outcome(o.record(), o.error());
                        case Event.Attempt a -> send(a.record());
                        case Event.Release r -> unpark(r.key(), false);
                        case Event.Skip k -> unpark(k.key(), true);
                        case Event.Stop s -> {
                            return;
                        }
                    }
                }
                events.clear();
                publishSends();
                settleFinished();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("lane stopped by an unexpected error; its records not yet done will be redelivered", e);
        } finally {
            // Also when the lane dies partway through a pass: what it finished is done and must free its
            // room in flight, or the shutdown drain would wait its full timeout for records already done.
            settleFinished();
        }
    }

    private void admit(InFlightRecord record) {
        if (record.key != null) {
            KeyState state = keys.get(record.key);
            if (state == null) {
                state = new KeyState();
                keys.put(record.key, state);
            } else if (state.busy) {
                record.sameKey = state;
                state.waiting.addLast(record);
                if (!parkedHere.isEmpty() && parkedHere.contains(record.key)) {
                    parked.parked(record.key, state.waiting.size());
                }
                return;
            } else {
                idleKeys--;
            }
            state.busy = true;
            record.sameKey = state;
        }
        if (record.failedStage != null) {
            decide(record, record.failedStage, record.lastError);
        } else {
            send(record);
        }
    }

    /** Queues the record for publishing at the end of the pass (see {@link #publishSends()}). */
    private void send(InFlightRecord record) {
        sends.add(record);
    }

    /**
     * Publishes the records the pass queued, back to back, rather than each as the outcome before it
     * comes in: a client that writes from its own thread (jnats) then finds more of them waiting
     * together and writes them in fewer socket writes (as {@link #settleFinished()} does for acks).
     */
    private void publishSends() {
        for (InFlightRecord record : sends) {
            publish(record);
        }
        sends.clear();
    }

    private void publish(InFlightRecord record) {
        Message message = record.deadLettering
                ? DeadLetterMessages.of(record, pipeline, sourceDescription)
                : record.source.message();
        String id = record.deadLettering ? record.id + "/dead-letter" : record.id;
        CompletableFuture<Void> future;
        try {
            future = (record.deadLettering ? deadLetter : sink).publish(new OutboundRecord(message, id, record.source.position()));
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((ignored, error) -> inbox.add(new Event.Outcome(record, unwrap(error))));
    }

    private void outcome(InFlightRecord record, Throwable error) {
        if (error == null) {
            finish(record);
        } else if (record.deadLettering) {
            Duration delay = policy.onDeadLetterFailure(record);
            listener.failed(record, Stage.SINK, error);
            hold(record, "dead-letter route refused it: " + error.getMessage(), delay);
        } else {
            decide(record, Stage.SINK, error);
        }
    }

    private void decide(InFlightRecord record, Stage stage, Throwable error) {
        FailurePolicy.Decision decision = policy.onFailure(record, stage, error, sink.connected(), clock.instant());
        listener.failed(record, stage, error);
        switch (decision) {
            case FailurePolicy.Decision.Retry r -> later(record, r.delay());
            case FailurePolicy.Decision.DeadLetter d -> {
                record.deadLettering = true;
                send(record);
            }
            case FailurePolicy.Decision.Hold h -> hold(record, h.reason() + ": " + error.getMessage(), h.delay());
        }
    }

    private void hold(InFlightRecord record, String reason, Duration delay) {
        if (!record.holding) {
            record.holding = true;
            listener.holding(record, reason);
        }
        later(record, delay);
    }

    private void later(InFlightRecord record, Duration delay) {
        timer.schedule(() -> inbox.add(new Event.Attempt(record)), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void settleFinished() {
        if (!finished.isEmpty()) {
            try {
                listener.settled(finished);
            } finally {
                finished.clear();
            }
        }
        skipsDone.forEach(parked::unparked);
        skipsDone.clear();
    }

    private void finish(InFlightRecord record) {
        finished.add(record);
        if (record.holding) {
            record.holding = false;
            listener.released(record);
        }
        if (record.deadLettering) {
            listener.deadLettered(record);
        } else {
            listener.delivered(record, passStartedNanos);
        }
        if (record.key == null) {
            return;
        }
        if (parkOnPoison && record.deadLettering && !record.skipped) {
            parkedHere.add(record.key);
            parked.parked(record.key, record.sameKey.waiting.size());
            LOG.warn("key \"{}\" parked after record {} was dead-lettered; its later records wait until "
                    + "'bridge keys release' or 'bridge keys skip'", record.key, record.source.position());
            return;
        }
        next(record.key, record.sameKey);
    }

    /** Sends the next waiting record of {@code key}, or marks the key idle when none waits. */
    private void next(String key, KeyState state) {
        InFlightRecord next = state.waiting.pollFirst();
        if (!skipping.isEmpty() && (next == null || !next.skipped) && skipping.remove(key)) {
            skipsDone.add(key);
        }
        if (next == null) {
            state.busy = false;
            if (++idleKeys > MAX_IDLE_KEYS) {
                keys.values().removeIf(s -> !s.busy);
                idleKeys = 0;
            }
        } else if (next.skipped) {
            decide(next, Stage.SINK, next.lastError);
        } else if (next.failedStage != null) {
            decide(next, next.failedStage, next.lastError);
        } else {
            send(next);
        }
    }

    private void unpark(String key, boolean skip) {
        if (!parkedHere.remove(key)) {
            return;
        }
        if (skip) {
            skipping.add(key);
            for (InFlightRecord held : keys.get(key).waiting) {
                held.skipped = true;
                held.lastError = new PermanentException(
                        "key \"" + key + "\" was skipped by an operator while parked");
            }
        } else {
            parked.unparked(key);
        }
        LOG.info("key \"{}\" {} by an operator; {} held records go on", key, skip ? "skipped" : "released",
                keys.get(key).waiting.size());
        next(key, keys.get(key));
    }

    /** A key's state in a lane; the lane's own. */
    static final class KeyState {
        /** The key's records waiting behind the one in flight, in source order. */
        final ArrayDeque<InFlightRecord> waiting = new ArrayDeque<>();
        /** Whether the key has a record in flight or is parked: then its next records wait. */
        boolean busy;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof java.util.concurrent.CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
