package io.msgbridge.runtime;

import io.msgbridge.backend.DurationText;
import io.msgbridge.backend.Plural;
import io.msgbridge.offsets.OffsetStoreException;
import io.msgbridge.spi.PermanentException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs a step again with backoff until it succeeds, fails permanently, or the pipeline is stopping:
 * how a pipeline waits for a broker or the offset store to come back, for as long as it takes. A
 * refusal of the offset store that says nothing of when it may end (a missing database or role, an
 * unreadable offsets file, a schema too new) needs an operator, not time: it fails the pipeline. One
 * that may end (another daemon's claim or lock, which a standby waits out) is waited for.
 */
final class Retrying {
    private static final Logger LOG = LoggerFactory.getLogger(Retrying.class);
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(15), true);
    /** The longest wait on a refusal that says when it ends: a claim released early is noticed this soon. */
    static final Duration MAX_HINTED_WAIT = Duration.ofSeconds(2);
    /** Added to a lease's time left, so that the store sees it expired when asked again. */
    static final Duration EXPIRY_MARGIN = Duration.ofMillis(10);

    /** A step that may fail retriably (any exception but {@link PermanentException}). */
    @FunctionalInterface
    interface Step<T> {
        T run() throws Exception;
    }

    /** Thrown when the pipeline began stopping while a step was still failing. */
    static final class Stopped extends Exception {
        Stopped() {
            super("stopping", null, false, false);
        }
    }

    private final BooleanSupplier stopping;
    private final Consumer<String> errors;
    private final Sleeper sleeper;

    /** Waits that a stop cuts short. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    Retrying(BooleanSupplier stopping, Consumer<String> errors, Sleeper sleeper) {
        this.stopping = stopping;
        this.errors = errors;
        this.sleeper = sleeper;
    }

    <T> T call(String what, Step<T> step) throws Stopped, InterruptedException {
        int failures = 0;
        while (!stopping.getAsBoolean()) {
            try {
                T result = step.run();
                if (failures > 0) {
                    LOG.info("{}: succeeded after {}", what, Plural.of(failures, "failed attempt"));
                }
                return result;
            } catch (PermanentException | InterruptedException e) {
                throw e;
            } catch (Exception e) {
                String message = what + " failed: " + e.getMessage();
                if (e instanceof OffsetStoreException refusal && !refusal.retriable() && refusal.retryAfter().isEmpty()) {
                    throw new PermanentException(message, e);
                }
                failures++;
                errors.accept(message);
                Duration wait = wait(e, failures);
                // Attempts 1, 2, 4, 8, ...: a long wait stays in the log without a line for every attempt.
                if (Integer.bitCount(failures) == 1) {
                    LOG.warn("{} (attempt {}; waiting, next attempt in {})", message, failures, DurationText.format(wait));
                }
                sleeper.sleep(wait);
            }
        }
        throw new Stopped();
    }

    /**
     * The backoff, unless the store said when its refusal may end (another daemon's lease expires): then
     * that moment, so a standby takes over when the lease expires rather than a backoff later. It asks
     * at least every {@link #MAX_HINTED_WAIT} meanwhile, because the holder may release its claim early
     * (a clean shutdown does).
     */
    static Duration wait(Exception failure, int failures) {
        if (failure instanceof OffsetStoreException refusal && refusal.retryAfter().isPresent()) {
            Duration until = refusal.retryAfter().get().plus(EXPIRY_MARGIN);
            return until.compareTo(MAX_HINTED_WAIT) < 0 ? until : MAX_HINTED_WAIT;
        }
        return BACKOFF.delay(failures);
    }
}
