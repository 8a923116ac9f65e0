package io.msgbridge.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Commits a pipeline's positions every commit interval, on a thread of its own, and looks for stalls
 * at each tick. The loop is told to stop, not interrupted: an interrupt reaching a commit under way (a
 * virtual thread's socket is closed when it is interrupted in it) could lose the answer to a commit the
 * store had made, and the final commit would then add that commit's records to the store's count a
 * second time.
 *
 * <p>An idle pipeline (no record in flight, nothing to commit) rests: its loop ticks only as often as
 * the claim is renewed ({@link Committer#RENEW_EVERY}), and the first record the pump takes in wakes it
 * ({@link #recordsTaken()}), so commits are as prompt as before once records move. A stall of a source
 * that reports a backlog but hands out nothing is then seen up to that much later.
 */
final class CommitLoop {
    private static final Logger LOG = LoggerFactory.getLogger(CommitLoop.class);

    private final String pipeline;
    private final Duration interval;
    private final Committer committer;
    private final PipelineOutcomes outcomes;
    private final StallWatch stalls;
    private final Runnable stopPipeline;
    /** Released to end a wait early: on a stop, and on records arriving while the loop rests. */
    private final Semaphore wake = new Semaphore(0);
    /** Set when the pump and drain are done: the loop ends after the commit it is making. */
    private volatile boolean stopping;
    /** Whether the loop waits the longer idle tick, to be woken by records arriving. */
    private volatile boolean resting;
    private Thread thread;

    private CommitLoop(String pipeline, Duration interval, Committer committer, PipelineOutcomes outcomes,
                       StallWatch stalls, Runnable stopPipeline) {
        this.pipeline = pipeline;
        this.interval = interval;
        this.committer = committer;
        this.outcomes = outcomes;
        this.stalls = stalls;
        this.stopPipeline = stopPipeline;
    }

    static CommitLoop start(String pipeline, Duration interval, Committer committer, PipelineOutcomes outcomes,
                            StallWatch stalls, Runnable stopPipeline) {
        CommitLoop loop = new CommitLoop(pipeline, interval, committer, outcomes, stalls, stopPipeline);
        loop.thread = Thread.ofVirtual().name(pipeline + "-committer").start(loop::run);
        return loop;
    }

    private void run() {
        MDC.put("pipeline", pipeline);
        try {
            while (!pause(nextWait())) {
                try {
                    outcomes.commitError(committer.commit());
                } catch (Committer.ClaimLost e) {
                    LOG.error("claim lost, stopping without further commits: {}", e.getMessage());
                    outcomes.error(e.getMessage());
                    stopPipeline.run();
                    return;
                } catch (RuntimeException e) {
                    LOG.error("commit failed unexpectedly; trying again next interval", e);
                }
                try {
                    stalls.check();
                } catch (RuntimeException e) {
                    LOG.error("looking for stalls failed; trying again next interval", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * How long to wait before the next tick: the commit interval, or the claim's renewal interval when
     * the pipeline is idle. Rests before looking, so that a record taken in while it looks is either
     * seen here or wakes the loop.
     */
    private Duration nextWait() {
        resting = true;
        if (!committer.idle()) {
            resting = false;
            return interval;
        }
        return interval.compareTo(Committer.RENEW_EVERY) >= 0 ? interval : Committer.RENEW_EVERY;
    }

    /** Waits {@code duration} or until woken; true when the loop is to stop. */
    private boolean pause(Duration duration) throws InterruptedException {
        wake.tryAcquire(duration.toNanos(), TimeUnit.NANOSECONDS);
        wake.drainPermits();
        return stopping;
    }

    /** The pump took records in: a resting loop goes back to ticking every commit interval. Any thread. */
    void recordsTaken() {
        if (resting) {
            resting = false;
            wake.release();
        }
    }

    /** Ends the loop after the commit it is making and waits for it. */
    void stopAndJoin() throws InterruptedException {
        stop();
        thread.join();
    }

    private void stop() {
        stopping = true;
        wake.release();
    }

    /** {@link #stopAndJoin()} for a pipeline that is failing: keeps the caller's interrupt. */
    void stopAndJoinQuietly() {
        stop();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
