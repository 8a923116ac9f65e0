package io.msgbridge.backend;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * An outage as the logs tell it: when it began, and when its next summary line is due: first
 * {@link #FIRST_SUMMARY} after it began, then at doubling intervals up to {@link #MAX_SUMMARY}, so that
 * a long outage costs a few lines, not one per attempt. Times are {@link System#nanoTime()} values (a
 * test passes its own). Not thread-safe: its owner guards it.
 */
public final class OutageLog {
    public static final Duration FIRST_SUMMARY = Duration.ofSeconds(30);
    public static final Duration MAX_SUMMARY = Duration.ofMinutes(10);

    private final long beganNanos;
    private Duration every = FIRST_SUMMARY;
    private long nextNanos;

    public OutageLog(long nowNanos) {
        this.beganNanos = nowNanos;
        this.nextNanos = nowNanos + FIRST_SUMMARY.toNanos();
    }

    /** Whether a summary is due at {@code nowNanos}; when it is, the one after it is due twice as long later. */
    public boolean summaryDue(long nowNanos) {
        if (nowNanos - nextNanos < 0) {
            return false;
        }
        every = every.multipliedBy(2).compareTo(MAX_SUMMARY) > 0 ? MAX_SUMMARY : every.multipliedBy(2);
        nextNanos = nowNanos + every.toNanos();
        return true;
    }

    /** When the next summary is due, as a summary line says it: {@code 1m}. */
    public String nextSummaryIn() {
        return DurationText.format(every);
    }

    /** How long the outage has lasted at {@code nowNanos}, in whole seconds, as the logs write it: {@code 1m30s}. */
    public String lasted(long nowNanos) {
        return DurationText.format(Duration.ofNanos(nowNanos - beganNanos).truncatedTo(ChronoUnit.SECONDS));
    }
}
