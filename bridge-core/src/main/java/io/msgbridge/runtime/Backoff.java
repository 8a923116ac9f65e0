package io.msgbridge.runtime;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff between {@code min} and {@code max}: the wait before attempt n+1 is
 * min × 2^(n-1), capped at max, and with jitter drawn uniformly from half of it up to all of it.
 */
record Backoff(Duration min, Duration max, boolean jitter) {

    /** The wait after {@code failures} consecutive failures (1 = after the first). */
    Duration delay(int failures) {
        long minNanos = min.toNanos();
        long maxNanos = max.toNanos();
        int shift = Math.min(Math.max(failures - 1, 0), 40);
        long nanos = minNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, minNanos << shift);
        if (jitter && nanos > 1) {
            nanos = ThreadLocalRandom.current().nextLong(nanos / 2, nanos + 1);
        }
        return Duration.ofNanos(nanos);
    }
}
