package io.msgbridge.spi;

/** A failure that may go away: the runtime retries with backoff and never dead-letters for it alone. */
public final class RetriableException extends BridgeException {
    public RetriableException(String message) {
        super(message, null);
    }

    public RetriableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retriable() {
        return true;
    }
}
