package io.msgbridge.nats;

import io.msgbridge.spi.OutboundRecord;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;

import java.util.concurrent.CompletableFuture;

/**
 * Publishes with core NATS. There is no broker confirmation: the future completes as soon as the
 * client accepted the message into its outgoing buffer (during a reconnect, its reconnect buffer,
 * which it sends after the reconnect, in order). A message lost on the wire after that is not
 * noticed; use JetStream where that matters.
 */
final class CorePublisher implements Publisher {
    private final Connection connection;
    private final PublishFailures failures;

    CorePublisher(Connection connection, PublishFailures failures) {
        this.connection = connection;
        this.failures = failures;
    }

    @Override
    public CompletableFuture<Void> publish(OutboundRecord record, String subject, Headers headers) {
        try {
            connection.publish(subject, headers, record.message().payload());
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failures.failed(record, subject, e));
        }
    }
}
