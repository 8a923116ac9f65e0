package io.msgbridge.nats;

import io.msgbridge.spi.OutboundRecord;
import io.nats.client.impl.Headers;

import java.util.concurrent.CompletableFuture;

/** One way of publishing a prepared NATS message: JetStream (confirmed) or core (fire and forget). */
interface Publisher {

    /**
     * Publishes {@code record}'s payload to {@code subject} ({@code headers} null: none); may block
     * briefly when the client's outgoing buffer is full. The future completes when the message is
     * confirmed (or, for core NATS, accepted by the client), or exceptionally with a
     * {@link io.msgbridge.spi.BridgeException} (see {@link PublishFailures}). Never throws.
     */
    CompletableFuture<Void> publish(OutboundRecord record, String subject, Headers headers);
}
