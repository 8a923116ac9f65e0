package io.msgbridge.runtime;

import io.msgbridge.runtime.InFlightRecord.Step;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One lane: the records of the ordering keys that hash to it. Per key, up to {@code window} records
 * are at the sink at once, published in source order (the sink's {@link io.msgbridge.spi.SinkOrdering}
 * says how many it can keep in order); records of different keys pass each other.
 *
 * <p>A failure rewinds its key: nothing more of the key is published until every record of it at the
 * sink has its outcome; then the records after the failed one go back to wait, in order, and the failed
 * one alone is retried, dead-lettered or held. Once it is done the key moves on from the record after
 * it, so per key the sink sees source order also across retries. A key's records finish (are settled)
 * in source order.
 *
 * <p>All state is confined to the lane's thread, which runs one loop over an inbox of events: new
 * records, a publish outcome, a retry that is due, an operator's release or skip. Sink completions only
 * enqueue an event, so a broker's callback thread is never blocked. The inbox holds at most the
 * pipeline's in-flight records (plus their outcomes), which the pump bounds.
 *
 * <p>Hand-offs are batched, because each one that finds the lane idle costs a wake-up of its thread:
 * the pump hands over all of a poll's records for this lane in one event, and the loop takes every
 * event waiting in the inbox at once. Publishes of a pass go out back to back at its end, and the
 * records it finished are settled together, so a client that writes from its own thread finds them
 * together and writes them in one go.
 */
final class Lane {
    private static final Logger LOG = LoggerFactory.getLogger(Lane.class);
    /**
     * Idle keys a lane keeps the state of before it forgets them. A key's state lives on while the key
     * is idle, because most keys come back soon: made anew each time a key got a record and dropped when
     * it went idle, the state lived just long enough to be promoted by the collector and then died in the
     * old generation. Bounded, as keys may be unbounded (user ids and the like): about 200 bytes a key.
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
    private final int window;
    private final FailurePolicy policy;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final RecordListener listener;
    private final boolean parkOnPoison;
    private final ParkedKeys parked;
    private final Consumer<RuntimeException> onDeath;
    private final Inbox<Event> inbox = new Inbox<>();
    /** Per ordering key with records here, parked, or idle and not yet forgotten: its state. */
    private final Map<String, KeyState> keys = new HashMap<>();
    /** Keys in {@link #keys} that are idle: forgotten, all at once, when there are too many. */
    private int idleKeys;
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

    Lane(String pipeline, int index, String sourceDescription, Sink sink, Sink deadLetter, int window,
         FailurePolicy policy, ScheduledExecutorService timer, Clock clock, RecordListener listener,
         boolean parkOnPoison, ParkedKeys parked, Consumer<RuntimeException> onDeath) {
        this.pipeline = pipeline;
        this.sourceDescription = sourceDescription;
        this.sink = sink;
        this.deadLetter = deadLetter;
        this.window = window;
        this.policy = policy;
        this.timer = timer;
        this.clock = clock;
        this.listener = listener;
        this.parkOnPoison = parkOnPoison;
        this.parked = parked;
        this.onDeath = onDeath;
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
        KeyState state = new KeyState(key);
        state.parked = true;
        keys.put(key, state);
        parked.parked(key, 0);
    }

    /** Hands records to the lane, in source order. The lane owns the list from now on. */
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
            LOG.error("lane {} stopped by an unexpected error; the pipeline fails and its records not yet done "
                    + "will be redelivered", thread.getName(), e);
            onDeath.accept(e);
        } finally {
            // Also when the lane dies partway through a pass: what it finished is done and must free its
            // room in flight, or the shutdown drain would wait its full timeout for records already done.
            settleFinished();
        }
    }

    private void admit(InFlightRecord record) {
        if (record.orderingKey == null) {
            dispatch(record);
            return;
        }
        KeyState state = keys.get(record.orderingKey);
        if (state == null) {
            state = new KeyState(record.orderingKey);
            keys.put(record.orderingKey, state);
        } else if (state.idle()) {
            idleKeys--;
        }
        record.sameKey = state;
        state.waiting.addLast(record);
        if (state.parked) {
            parked.parked(state.key, state.waiting.size());
            return;
        }
        advance(state);
    }

    /** Moves the key's waiting records to the sink while its window has room and nothing holds it back. */
    private void advance(KeyState state) {
        while (!state.parked && !state.rewinding && !state.recovering && state.atSink.size() < window
                && !state.waiting.isEmpty()) {
            InFlightRecord record = state.waiting.pollFirst();
            state.atSink.addLast(record);
            dispatch(record);
        }
    }

    /** Starts what the record's step says: a publish, or the decision for a record unfit for the sink. */
    private void dispatch(InFlightRecord record) {
        if (record.step instanceof Step.Unfit unfit) {
            if (record.sameKey != null) {
                // Decided alone, as after a rewind: the key's later records wait until it is done.
                record.sameKey.recovering = true;
            }
            decide(record, unfit.stage(), unfit.why());
        } else {
            send(record);
        }
    }

    /** Queues the record for publishing at the end of the pass (see {@link #publishSends()}). */
    private void send(InFlightRecord record) {
        if (record.sameKey != null) {
            record.sameKey.unconfirmed++;
        }
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
        boolean toDeadLetter = record.toDeadLetter();
        Message message = toDeadLetter
                ? DeadLetterMessages.of(record, pipeline, sourceDescription)
                : record.source.message();
        String id = toDeadLetter ? record.id + "/dead-letter" : record.id;
        CompletableFuture<Void> future;
        try {
            KeyState state = record.sameKey;
            boolean resumes = !toDeadLetter && state != null && state.resumeNext;
            if (resumes) {
                state.resumeNext = false;
            }
            future = (toDeadLetter ? deadLetter : sink).publish(
                    new OutboundRecord(message, record.key, id, record.source.position(), resumes));
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((ignored, error) -> inbox.add(new Event.Outcome(record, unwrap(error))));
    }

    private void outcome(InFlightRecord record, Throwable error) {
        KeyState state = record.sameKey;
        if (state != null) {
            state.unconfirmed--;
        }
        boolean toDeadLetter = record.toDeadLetter();
        if (error == null) {
            if (record.step instanceof Step.Held) {
                listener.released(record);
            }
            record.step = toDeadLetter ? Step.DEAD_LETTERED : Step.DELIVERED;
            if (toDeadLetter) {
                listener.deadLettered(record);
            } else {
                listener.delivered(record, passStartedNanos);
            }
            if (state == null) {
                finished.add(record);
            } else {
                finishInOrder(state);
            }
        } else if (toDeadLetter) {
            Duration delay = policy.onDeadLetterFailure(record);
            listener.failed(record, Stage.SINK, error);
            hold(record, Step.TO_DEAD_LETTER, "dead-letter route refused it: " + error.getMessage(), delay);
        } else if (state == null) {
            decide(record, Stage.SINK, error);
        } else {
            record.lastError = error;
            record.failedStage = Stage.SINK;
            state.rewinding = true;
            if (state.unconfirmed == 0) {
                rewind(state);
            }
        }
    }

    /**
     * Finishes the key's records that are done from the front, in source order; then, with every outcome
     * in after a failure, rewinds; else moves on.
     */
    private void finishInOrder(KeyState state) {
        while (!state.atSink.isEmpty() && state.atSink.peekFirst().step instanceof Step.Done) {
            InFlightRecord record = state.atSink.pollFirst();
            state.recovering = false;
            if (finish(record, state)) {
                return;
            }
        }
        if (state.rewinding && state.unconfirmed == 0) {
            rewind(state);
            return;
        }
        advance(state);
        becomeIdleIfDone(state);
    }

    /**
     * Every record of the key at the sink has its outcome, and one failed: the records after the first
     * that failed go back to wait, and the failed one is decided alone. Those the sink confirmed
     * meanwhile go back too (published again after it: a deduplicating sink drops the copies), except,
     * when the failed one can never reach the sink (a permanent failure), those confirmed before any
     * other failure: nothing can come before them any more.
     */
    private void rewind(KeyState state) {
        state.rewinding = false;
        InFlightRecord failed = state.atSink.pollFirst();
        if (FailurePolicy.retriable(failed.lastError)) {
            backToWaiting(state, state.atSink);
        } else {
            ArrayDeque<InFlightRecord> kept = new ArrayDeque<>();
            while (!state.atSink.isEmpty() && state.atSink.peekFirst().step instanceof Step.Done) {
                kept.addLast(state.atSink.pollFirst());
            }
            backToWaiting(state, state.atSink);
            state.atSink.addAll(kept);
        }
        state.atSink.addFirst(failed);
        state.recovering = true;
        state.resumeNext = true;
        decide(failed, Stage.SINK, failed.lastError);
    }

    /** Moves {@code records} back to the front of the key's waiting records, in order, to be published again. */
    private static void backToWaiting(KeyState state, ArrayDeque<InFlightRecord> records) {
        while (!records.isEmpty()) {
            InFlightRecord record = records.pollLast();
            record.step = Step.TO_SINK;
            state.waiting.addFirst(record);
        }
    }

    private void decide(InFlightRecord record, Stage stage, Throwable error) {
        FailurePolicy.Decision decision = policy.onFailure(record, stage, error, sink.connected(), clock.instant());
        listener.failed(record, stage, error);
        switch (decision) {
            case FailurePolicy.Decision.Retry r -> later(record, r.delay());
            case FailurePolicy.Decision.DeadLetter d -> {
                if (record.step instanceof Step.Held) {
                    listener.released(record);
                }
                record.step = Step.TO_DEAD_LETTER;
                send(record);
            }
            case FailurePolicy.Decision.Hold h -> {
                Step retry = record.step instanceof Step.Unfit ? null : Step.TO_SINK;
                hold(record, retry, h.reason() + ": " + error.getMessage(), h.delay());
            }
        }
    }

    private void hold(InFlightRecord record, Step retry, String reason, Duration delay) {
        if (!(record.step instanceof Step.Held)) {
            listener.holding(record, reason);
        }
        record.step = new Step.Held(retry, reason);
        if (retry != null) {
            later(record, delay);
        }
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

    /** Finishes one record of a key; true when it parked the key. */
    private boolean finish(InFlightRecord record, KeyState state) {
        finished.add(record);
        if (record == state.lastSkipped) {
            state.lastSkipped = null;
            if (skipping.remove(state.key)) {
                skipsDone.add(state.key);
            }
        } else if (parkOnPoison && record.step == Step.DEAD_LETTERED && state.lastSkipped == null) {
            state.parked = true;
            parked.parked(state.key, state.waiting.size() + state.atSink.size());
            LOG.warn("key \"{}\" parked after record {} was dead-lettered; its later records wait until "
                    + "'bridge keys release' or 'bridge keys skip'", state.key, record.source.position());
            return true;
        }
        return false;
    }

    private void becomeIdleIfDone(KeyState state) {
        if (state.idle() && ++idleKeys > MAX_IDLE_KEYS) {
            keys.values().removeIf(KeyState::idle);
            idleKeys = 0;
        }
    }

    private void unpark(String key, boolean skip) {
        KeyState state = keys.get(key);
        if (state == null || !state.parked) {
            return;
        }
        state.parked = false;
        if (skip) {
            PermanentException why = new PermanentException("key \"" + key + "\" was skipped by an operator while parked");
            for (InFlightRecord held : state.waiting) {
                held.step = new Step.Unfit(Stage.SINK, why);
            }
            state.lastSkipped = state.waiting.peekLast();
            if (state.lastSkipped == null) {
                parked.unparked(key);
            } else {
                skipping.add(key);
            }
        } else {
            parked.unparked(key);
        }
        LOG.info("key \"{}\" {} by an operator; {} held records go on", key, skip ? "skipped" : "released",
                state.waiting.size());
        advance(state);
        becomeIdleIfDone(state);
    }

    /** An ordering key's state in a lane; the lane's own. */
    static final class KeyState {
        final String key;
        /** The key's records not yet at the sink, in source order. */
        final ArrayDeque<InFlightRecord> waiting = new ArrayDeque<>();
        /** The key's records at the sink (published, or being retried), in source order, not yet finished. */
        final ArrayDeque<InFlightRecord> atSink = new ArrayDeque<>();
        /** Records of {@link #atSink} whose publish has no outcome yet. */
        int unconfirmed;
        /** A record at the sink failed: nothing more is published until every outcome is in, then it rewinds. */
        boolean rewinding;
        /** After a rewind, the failed record is retried (or dead-lettered, or held) alone. */
        boolean recovering;
        /** The key's next publish to the sink is the first after a rewind ({@link OutboundRecord#resumes()}). */
        boolean resumeNext;
        /** Parked after a record was dead-lettered ({@code on-poison: park-key}): records wait for an operator. */
        boolean parked;
        /** The last record of an operator's skip: when it is finished the skip is done. */
        InFlightRecord lastSkipped;

        KeyState(String key) {
            this.key = key;
        }

        boolean idle() {
            return waiting.isEmpty() && atSink.isEmpty() && !parked;
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
