package io.msgbridge.builtin;

import java.util.function.LongSupplier;

/**
 * When generated records become due at a fixed rate: the {@code n}th record since {@link #start} (0-based)
 * at {@code n / perSecond} seconds after it. Like a producer writing to a broker at that rate whatever the
 * pipeline does, so records that came due while the pipeline was busy wait as a backlog (its lag) rather
 * than being skipped or slowing the rate down. Time comes from {@code nanoTime}, so tests can drive it.
 * Started once, on the pump thread; {@link #dueBy} may be read from any thread after that.
 */
final class Pace {
    private static final double NANOS_PER_SECOND = 1e9;

    private final double perSecond;
    private final LongSupplier nanoTime;
    private volatile long startNanos;

    Pace(double perSecond, LongSupplier nanoTime) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("perSecond must be a positive number, not " + perSecond);
        }
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
    }

    void start() {
        startNanos = nanoTime.getAsLong();
    }

    /** How many records have come due since {@link #start}, now: at least 1, the first being due at once. */
    long dueBy() {
        long elapsed = Math.max(0, nanoTime.getAsLong() - startNanos);
        double due = Math.floor(elapsed * perSecond / NANOS_PER_SECOND) + 1;
        return due >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) due;
    }

    /** How many nanoseconds from now the {@code n}th record (0-based) comes due; 0 when it is due already. */
    long nanosUntil(long n) {
        double offset = Math.ceil(n * NANOS_PER_SECOND / perSecond);
        long elapsed = nanoTime.getAsLong() - startNanos;
        return offset >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, (long) offset - elapsed);
    }
}
