package io.msgbridge.spi;

/**
 * The failure family every backend reports through. A {@link RetriableException} says "try again
 * later, the record is fine" (timeouts, a broker down, throttling); a {@link PermanentException} says
 * "this record can never go there" (too large, refused, unauthorised for that topic) and sends the
 * record to the dead-letter route. Any other exception from a backend is treated as retriable.
 */
public abstract sealed class BridgeException extends RuntimeException
        permits RetriableException, PermanentException {

    protected BridgeException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract boolean retriable();
}
