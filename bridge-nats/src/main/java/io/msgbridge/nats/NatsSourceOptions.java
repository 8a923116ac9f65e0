package io.msgbridge.nats;

import io.msgbridge.spi.Connector;

/** A checked {@code from:} section: core NATS subjects or a JetStream stream. */
public sealed interface NatsSourceOptions extends Connector.SectionOptions permits CoreSourceOptions, JetStreamSourceOptions {

    /** For logs and dead-letter headers, e.g. {@code nats:stream ORDERS} or {@code nats:orders.>}. */
    String describe();
}
