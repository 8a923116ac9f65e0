package io.msgbridge.runtime;

import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.SourceRecord;
import io.msgbridge.spi.Stage;

import java.time.Instant;

/**
 * A record between the source and done: where it goes next ({@link Step}) and its failure history.
 * Created by the pump; after it is handed to a lane only that lane's thread touches the mutable fields.
 */
final class InFlightRecord {

    /**
     * Where a record is in its life. Every record starts {@link ToSink} or, when it could not be made
     * into something to publish, {@link Unfit}; it ends {@link Done}. A record goes to the sink only
     * from {@link ToSink} (or {@link Held} back to it), so a record whose key could not be computed can
     * never reach the sink.
     */
    sealed interface Step {
        /** Bound for the sink: published, or waiting for its turn or for a retry after a failure. */
        record ToSink() implements Step {
        }

        /** Bound for the dead-letter route. */
        record ToDeadLetter() implements Step {
        }

        /**
         * Failed before the sink (unreadable at the source, no key), or skipped by an operator: never
         * published to the sink; decided (dead-letter route or held) when its turn comes.
         */
        record Unfit(Stage stage, PermanentException why) implements Step {
        }

        /**
         * Cannot move now: the dead-letter route refused it, or there is none. Tried again at
         * {@code retry} after a backoff; with no {@code retry} (an unfit record and no dead-letter
         * route: no attempt can change the outcome) it waits for an operator. The pipeline is not ready
         * while a record is held.
         */
        record Held(Step retry, String reason) implements Step {
        }

        /** Confirmed by the sink, or by the dead-letter route. */
        record Done(boolean deadLettered) implements Step {
        }

        Step TO_SINK = new ToSink();
        Step TO_DEAD_LETTER = new ToDeadLetter();
        Step DELIVERED = new Done(false);
        Step DEAD_LETTERED = new Done(true);
    }

    final SourceRecord source;
    final OffsetTracker.Ticket ticket;
    /**
     * The record's ordering key: which records it must stay behind. The pipeline's key, or the source
     * partition when the sink orders per partition; null for none.
     */
    final String orderingKey;
    /** The key written at the destination (see {@link io.msgbridge.spi.OutboundRecord#key()}); null for none. */
    final String key;
    final long bytes;
    /**
     * The record's id at the sink, pipeline/partition/offset (see {@link io.msgbridge.spi.OutboundRecord#id()}).
     * Made by the pump while the position is fresh in its cache: a lane sends most records long after,
     * once the record before them of the same key is done.
     */
    final String id;
    /**
     * Where its end-to-end latency is measured from, in nanoseconds since the epoch: the message's event
     * time, else when the pump received it. Taken while the message is fresh in the pump's cache, so
     * the lane that finishes the record, thousands of records later, need not reach back into the message.
     */
    final long latencyFromNanos;
    /**
     * The lane's state of this record's ordering key (shared by the key's records), so an outcome needs
     * no lookup by key. Null for a record without an ordering key. Lane's own.
     */
    Lane.KeyState sameKey;

    Step step;
    /** Failed attempts that count toward the retry limit (broker deliveries before this one included). */
    int attempts;
    /** Failures in a row of whatever kind, for the backoff. */
    int consecutiveFailures;
    Stage failedStage;
    Throwable lastError;
    Instant firstFailedAt;
    Instant lastFailedAt;

    InFlightRecord(SourceRecord source, OffsetTracker.Ticket ticket, String orderingKey, String key, long bytes,
                   String id, Instant receivedAt, Step step) {
        this.source = source;
        this.id = id;
        this.ticket = ticket;
        this.orderingKey = orderingKey;
        this.key = key;
        this.bytes = bytes;
        this.step = step;
        Instant eventTime = source.message().eventTime();
        this.latencyFromNanos = epochNanos(eventTime != null ? eventTime : receivedAt);
        this.attempts = Math.max(0, source.attempts() - 1);
    }

    void failed(Stage stage, Throwable error, Instant now, boolean countsAsAttempt) {
        failedStage = stage;
        lastError = error;
        consecutiveFailures++;
        if (countsAsAttempt) {
            attempts++;
        }
        if (firstFailedAt == null) {
            firstFailedAt = now;
        }
        lastFailedAt = now;
    }

    /** Whether its next publish goes to the dead-letter route rather than the sink. */
    boolean toDeadLetter() {
        return step instanceof Step.ToDeadLetter || step instanceof Step.Held h && h.retry() instanceof Step.ToDeadLetter;
    }

    /** An instant in nanoseconds since the epoch (good until the year 2262). */
    static long epochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    String describe() {
        return source.position() + (key == null ? "" : " key \"" + key + "\"");
    }
}
