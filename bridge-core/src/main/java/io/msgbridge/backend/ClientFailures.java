package io.msgbridge.backend;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What backends do alike with a client library's exceptions before mapping them to the SPI's. */
public final class ClientFailures {
    private ClientFailures() {
    }

    /**
     * The failure itself, out of the {@link CompletionException}s and {@link ExecutionException}s that a
     * client's futures wrap it in: the mapping asks what went wrong, not how it was delivered.
     */
    public static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
