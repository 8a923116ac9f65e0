package io.msgbridge.runtime;

import io.msgbridge.spi.SourceRecord;
import io.msgbridge.spi.Stage;

import java.time.Instant;

/**
 * A record between the source and done, with its failure history. Created by the pump; after it is
 * handed to a lane only that lane's thread touches the mutable fields.
 */
final class InFlightRecord {
    final SourceRecord source;
    final OffsetTracker.Ticket ticket;
    /** The ordering key, or null for none. */
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
     * The lane's state of this record's key (the records of the key that wait behind it, shared by
     * them), so finishing a record needs no lookup by key. Lane's own.
     */
    Lane.KeyState sameKey;

    /** Failed attempts that count toward the retry limit (broker deliveries before this one included). */
    int attempts;
    /** Failures in a row of whatever kind, for the backoff. */
    int consecutiveFailures;
    Stage failedStage;
    Throwable lastError;
    Instant firstFailedAt;
    Instant lastFailedAt;
    /** Whether the record is on its way to the dead-letter route rather than the sink. */
    boolean deadLettering;
    /** Whether the record is stuck: the dead-letter route refused it, or there is none. */
    boolean holding;
    /** Whether an operator skipped the record's parked key: it goes to the dead-letter route unsent. */
    boolean skipped;

    InFlightRecord(SourceRecord source, OffsetTracker.Ticket ticket, String key, long bytes, String id, Instant receivedAt) {
        this.source = source;
        this.id = id;
        this.ticket = ticket;
        this.key = key;
        this.bytes = bytes;
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

    /** An instant in nanoseconds since the epoch (good until the year 2262). */
    static long epochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    String describe() {
        return source.position() + (key == null ? "" : " key \"" + key + "\"");
    }
}
