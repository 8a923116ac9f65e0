package io.msgbridge.nats;

/** How a sink publishes ({@code mode:}). */
public enum SinkMode {
    /** JetStream publish; the record is done when the stream's PubAck arrives. */
    JETSTREAM,
    /** Core NATS publish; the record is done when the client accepted it, without broker confirmation. */
    CORE;

    /** {@code jetstream} or {@code core}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
