package io.msgbridge.spi;

/**
 * A failure that may go away: the runtime retries with backoff and never dead-letters for it alone.
 *
 * <p>An {@linkplain #unavailable() unavailable} failure says the destination itself is missing or down
 * (no JetStream stream captures the subject, a topic that does not exist where auto-creation is off, a
 * broker that cannot be reached): not the record's fault, so it is retried for as long as it takes
 * without using up the record's attempts, and the pipeline reports not ready meanwhile.
 */
public final class RetriableException extends BridgeException {
    private final boolean unavailable;

    public RetriableException(String message) {
        this(message, null);
    }

    public RetriableException(String message, Throwable cause) {
        super(message, cause);
        this.unavailable = false;
    }

    private RetriableException(String message, Throwable cause, boolean unavailable) {
        super(message, cause);
        this.unavailable = unavailable;
    }

    /** The destination is missing or down: an outage, retried without using up attempts. */
    public static RetriableException unavailable(String message, Throwable cause) {
        return new RetriableException(message, cause, true);
    }

    /** Whether the destination is missing or down rather than this record having failed. */
    public boolean unavailable() {
        return unavailable;
    }

    @Override
    public boolean retriable() {
        return true;
    }
}
