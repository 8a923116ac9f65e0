package io.msgbridge.offsets;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A store operation failed. {@link #retriable()} tells an outage (PostgreSQL down: commits pause and
 * resume later) from a refusal (a stale claim, a pipeline owned by a running daemon).
 * {@link #retryAfter()}, when present, says when a refusal may end: a claim refused because another
 * daemon's lease is live says when that lease expires, so a waiting daemon asks again right then
 * rather than a backoff later.
 */
public class OffsetStoreException extends Exception {
    private final boolean retriable;
    private final Duration retryAfter;

    public OffsetStoreException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
        this.retryAfter = null;
    }

    /** A refusal that may end after {@code retryAfter} (not negative). */
    public OffsetStoreException(String message, Duration retryAfter) {
        super(message);
        this.retriable = false;
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter " + retryAfter + " is negative");
        }
    }

    public boolean retriable() {
        return retriable;
    }

    /** How long until the refusal may end (a live lease expires, a lock may be free); empty when unknown. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
