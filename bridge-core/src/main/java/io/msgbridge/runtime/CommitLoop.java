package io.msgbridge.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Commits a pipeline's positions every commit interval, on a thread of its own, and looks for stalls
 * at each tick. The loop is told to stop, not interrupted: an interrupt reaching a commit under way (a
 * virtual thread's socket is closed when it is interrupted in it) could lose the answer to a commit the
 * store had made, and the final commit would then add that commit's records to the store's count a
 * second time.
 */
final class CommitLoop {
    private static final Logger LOG = LoggerFactory.getLogger(CommitLoop.class);

    private final String pipeline;
    private final Duration interval;
    private final Committer committer;
    private final PipelineOutcomes outcomes;
    private final StallWatch stalls;
    private final Runnable stopPipeline;
    /** Opens when the pump and drain are done: the loop ends after the commit it is making. */
    private final CountDownLatch stop = new CountDownLatch(1);
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
            while (!stop.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
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

    /** Ends the loop after the commit it is making and waits for it. */
    void stopAndJoin() throws InterruptedException {
        stop.countDown();
        thread.join();
    }

    /** {@link #stopAndJoin()} for a pipeline that is failing: keeps the caller's interrupt. */
    void stopAndJoinQuietly() {
        stop.countDown();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
