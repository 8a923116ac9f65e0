package io.msgbridge.spi;

/** Where a record failed; carried into dead-letter headers. */
public enum Stage {
    SOURCE, KEY, TRANSFORM, SINK;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
