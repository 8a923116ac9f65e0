package io.msgbridge.runtime;

import io.msgbridge.spi.PermanentException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs a step again with backoff until it succeeds, fails permanently, or the pipeline is stopping:
 * how a pipeline waits for a broker or the offset store to come back, for as long as it takes.
 */
final class Retrying {
    private static final Logger LOG = LoggerFactory.getLogger(Retrying.class);
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(15), true);

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
                    LOG.info("{}: succeeded after {} failed attempts", what, failures);
                }
                return result;
            } catch (PermanentException | InterruptedException e) {
                throw e;
            } catch (Exception e) {
                failures++;
                String message = what + " failed: " + e.getMessage();
                errors.accept(message);
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warn("{} (attempt {}; trying again)", message, failures);
                }
                sleeper.sleep(BACKOFF.delay(failures));
            }
        }
        throw new Stopped();
    }
}
