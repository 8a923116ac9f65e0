package io.msgbridge.runtime;

import io.msgbridge.config.RetryConfig;
import io.msgbridge.spi.BridgeException;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Stage;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides what happens to a record after a failed attempt: a retriable failure while the sink is
 * disconnected, or one that says the destination is unavailable (a missing stream or topic), is an
 * outage, not the record's fault: retried for as long as it takes without using up attempts, and never
 * dead-lettered. Other retriable failures are retried up to the limit; permanent failures and exhausted
 * retries go to the dead-letter route, or, without one, the record is held and tried again slowly, so
 * that nothing is dropped.
 */
final class FailurePolicy {

    /** What to do next with a failed record. */
    sealed interface Decision {
        record Retry(Duration delay) implements Decision {
        }

        record DeadLetter() implements Decision {
        }

        /** No way forward now: wait, then try the sink again; the pipeline reports it is holding. */
        record Hold(Duration delay, String reason) implements Decision {
        }
    }

    private final RetryConfig retry;
    private final Backoff backoff;
    private final boolean hasDeadLetter;

    FailurePolicy(RetryConfig retry, boolean hasDeadLetter) {
        this.retry = retry;
        this.backoff = new Backoff(retry.minBackoff(), retry.maxBackoff(), retry.jitter());
        this.hasDeadLetter = hasDeadLetter;
    }

    static boolean retriable(Throwable error) {
        return !(error instanceof BridgeException be) || be.retriable();
    }

    /** Whether the failure says the destination is missing or down rather than the record having failed. */
    static boolean unavailable(Throwable error) {
        return error instanceof RetriableException r && r.unavailable();
    }

    Decision onFailure(InFlightRecord record, Stage stage, Throwable error, boolean sinkConnected, Instant now) {
        boolean retriable = retriable(error);
        boolean outage = retriable && (!sinkConnected || unavailable(error));
        record.failed(stage, error, now, !outage);
        if (outage || (retriable && record.attempts < retry.attempts())) {
            return new Decision.Retry(backoff.delay(record.consecutiveFailures));
        }
        if (hasDeadLetter) {
            return new Decision.DeadLetter();
        }
        return new Decision.Hold(retry.maxBackoff(), (retriable ? "retries exhausted" : "permanent failure")
                + " and no dead-letter route is configured");
    }

    /** The dead-letter route refused the record: wait, then offer it again. */
    Duration onDeadLetterFailure(InFlightRecord record) {
        record.consecutiveFailures++;
        return backoff.delay(record.consecutiveFailures);
    }
}
