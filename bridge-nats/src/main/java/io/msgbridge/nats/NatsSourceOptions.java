package io.msgbridge.nats;

import io.msgbridge.backend.SectionOptions;

/** A checked {@code from:} section: core NATS subjects or a JetStream stream. */
public sealed interface NatsSourceOptions extends SectionOptions permits CoreSourceOptions, JetStreamSourceOptions {

    /** For logs and dead-letter headers, e.g. {@code nats:stream ORDERS} or {@code nats:orders.>}. */
    String describe();
}
