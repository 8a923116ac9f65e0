package io.msgbridge.spi;

/** Where a record failed; carried into dead-letter headers. */
public enum Stage {
    /** The source could not read it, or it is larger than the memory budget. */
    SOURCE,
    /** Its key could not be computed. */
    KEY,
    /** The sink (or the dead-letter route) refused it. */
    SINK;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
