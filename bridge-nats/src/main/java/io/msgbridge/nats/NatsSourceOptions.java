package io.msgbridge.nats;

/** A checked {@code from:} section: core NATS subjects or a JetStream stream. */
public sealed interface NatsSourceOptions permits CoreSourceOptions, JetStreamSourceOptions {

    /** For logs and dead-letter headers, e.g. {@code nats:stream ORDERS} or {@code nats:orders.>}. */
    String describe();
}
