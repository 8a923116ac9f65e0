package io.msgbridge.pulsar;

/** Where a new subscription starts ({@code subscription.initial-position}). */
public enum StartPosition {
    /** The oldest message the topic keeps: nothing is missed (the default, right for mirroring). */
    EARLIEST,
    /** Only messages published after the subscription was created. */
    LATEST
}
