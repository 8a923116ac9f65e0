package io.msgbridge.nats;

import io.msgbridge.backend.DurationText;
import io.msgbridge.backend.OutageLog;
import io.msgbridge.backend.Plural;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Dials a connection again after it was lost, on a thread of its own: waits {@code wait}, tries, and
 * goes on trying every {@code wait} until a dial succeeds or it is closed. Used where jnats must not
 * reconnect by itself ({@link ConnectionUse#JETSTREAM_PUBLISHER}). A failed attempt never ends the loop.
 * Logged as {@link ConnectionEvents} logs a lost connection: the first failure at WARN, then a summary
 * (attempts, last error) at the intervals of an {@link OutageLog}, the other attempts at DEBUG, and one line when a dial succeeds;
 * every line carries the pipeline in the MDC.
 */
final class Redialer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Redialer.class);

    /** One attempt; throws when it failed. */
    @FunctionalInterface
    interface Dial {
        void dial() throws Exception;
    }

    private final String where;
    private final Duration wait;
    private final Dial dial;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean dialling = new AtomicBoolean();
    private volatile String lastFailure;
    /** Failed attempts since the connection was lost, and the outage (only the dialling thread uses them). */
    private int failures;
    private volatile OutageLog outage;

    Redialer(String pipeline, String where, Duration wait, Dial dial) {
        this.where = where;
        this.wait = wait;
        this.dial = dial;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(() -> {
                MDC.put("pipeline", pipeline);
                r.run();
            }, "nats-redial " + where);
            t.setDaemon(true);
            return t;
        });
    }

    /** The connection was lost: dial again, unless that is already under way. Never blocks. */
    void lost() {
        if (dialling.compareAndSet(false, true)) {
            outage = new OutageLog(System.nanoTime());
            LOG.warn("{}: connection lost; dialling again every {}", where, DurationText.format(wait));
            schedule();
        }
    }

    /** Whether a dial is under way. */
    boolean dialling() {
        return dialling.get();
    }

    /** Why the last attempt failed, or null. */
    String lastFailure() {
        return lastFailure;
    }

    private void schedule() {
        try {
            timer.schedule(this::attempt, wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            dialling.set(false);
        }
    }

    private void attempt() {
        try {
            dial.dial();
            LOG.info("{}: connected again after {} ({} down)", where, Plural.of(failures, "failed attempt"),
                    outage.lasted(System.nanoTime()));
            failures = 0;
            lastFailure = null;
            dialling.set(false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dialling.set(false);
        } catch (Exception e) {
            failures++;
            lastFailure = e.getMessage();
            long now = System.nanoTime();
            if (failures == 1) {
                LOG.warn("{}: dialling again failed: {}; trying every {}", where, e.getMessage(), DurationText.format(wait));
            } else if (outage.summaryDue(now)) {
                LOG.warn("{}: still not connected after {} over {}, last error: {}; next summary in {}", where,
                        Plural.of(failures, "failed attempt"), outage.lasted(now), e.getMessage(), outage.nextSummaryIn());
            } else {
                LOG.debug("{}: dial attempt {} failed: {}", where, failures, e.getMessage());
            }
            schedule();
        }
    }



    @Override
    public void close() {
        timer.shutdownNow();
    }
}
