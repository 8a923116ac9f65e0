package io.msgbridge.runtime;

import io.msgbridge.config.RetryConfig;
import io.msgbridge.spi.BridgeException;
import io.msgbridge.spi.Stage;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides what happens to a record after a failed attempt (DESIGN.md failure rules): a retriable
 * failure while the sink is disconnected is a broker outage, retried for as long as it takes without
 * using up attempts; other retriable failures are retried up to the limit; permanent failures and
 * exhausted retries go to the dead-letter route, or, without one, the record is held and tried again
 * slowly, so that nothing is dropped.
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

    Decision onFailure(InFlightRecord record, Stage stage, Throwable error, boolean sinkConnected, Instant now) {
        if (record.skipped) {
            record.failed(stage, error, now, true);
            return hasDeadLetter ? new Decision.DeadLetter()
                    : new Decision.Hold(retry.maxBackoff(), "skipped and no dead-letter route is configured");
        }
        boolean retriable = retriable(error);
        boolean outage = retriable && !sinkConnected;
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
