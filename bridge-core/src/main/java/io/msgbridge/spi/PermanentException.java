package io.msgbridge.spi;

/** A failure that will not go away for this record: it goes to the dead-letter route. */
public final class PermanentException extends BridgeException {
    public PermanentException(String message) {
        super(message, null);
    }

    public PermanentException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retriable() {
        return false;
    }
}
