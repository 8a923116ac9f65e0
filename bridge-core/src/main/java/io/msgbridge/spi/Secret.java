package io.msgbridge.spi;

import java.util.Objects;

/**
 * A password, token or key read from config. Its {@link #toString()} never shows the value, so it is
 * safe in logs, errors and status output; only {@link #reveal()} gives it to a client library.
 */
public final class Secret {
    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public String reveal() {
        return value;
    }

    public char[] revealChars() {
        return value.toCharArray();
    }

    /**
     * {@code text} with every occurrence of the secret shown as {@link #toString()} shows it, for error
     * messages a client library wrote (some quote a token or a password back); null stays null.
     */
    public String hideIn(String text) {
        return text == null || value.isEmpty() ? text : text.replace(value, toString());
    }

    @Override
    public String toString() {
        return "****";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
