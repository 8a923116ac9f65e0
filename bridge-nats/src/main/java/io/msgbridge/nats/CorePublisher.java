package io.msgbridge.nats;

import io.nats.client.Connection;
import io.nats.client.impl.Headers;

import java.util.concurrent.CompletableFuture;

/**
 * Publishes with core NATS. There is no broker confirmation: the future completes as soon as the
 * client accepted the message into its outgoing buffer (during a reconnect, its reconnect buffer).
 * A message lost on the wire after that is not noticed; use JetStream where that matters.
 */
final class CorePublisher implements Publisher {
    private final Connection connection;
    private final PublishFailures failures;

    CorePublisher(Connection connection, PublishFailures failures) {
        this.connection = connection;
        this.failures = failures;
    }

    @Override
    public CompletableFuture<Void> publish(String subject, Headers headers, byte[] payload) {
        try {
            connection.publish(subject, headers, payload);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failures.map(e, subject));
        }
    }
}
