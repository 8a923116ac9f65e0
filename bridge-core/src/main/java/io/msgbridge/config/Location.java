package io.msgbridge.config;

/** A place in the config file: 1-based line and column, or 0:0 when unknown. */
record Location(int line, int column) {
    static final Location UNKNOWN = new Location(0, 0);
    static final Location START = new Location(1, 1);
}
