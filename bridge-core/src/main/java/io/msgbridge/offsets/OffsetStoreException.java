package io.msgbridge.offsets;

/**
 * A store operation failed. {@link #retriable()} tells an outage (PostgreSQL down: commits pause and
 * resume later) from a refusal (a stale claim, a pipeline owned by a running daemon).
 */
public class OffsetStoreException extends Exception {
    private final boolean retriable;

    public OffsetStoreException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    public boolean retriable() {
        return retriable;
    }
}
