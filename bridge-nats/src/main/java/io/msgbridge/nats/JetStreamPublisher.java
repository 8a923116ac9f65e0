package io.msgbridge.nats;

import io.msgbridge.spi.OutboundRecord;
import io.nats.client.JetStream;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

import java.util.concurrent.CompletableFuture;

/**
 * Publishes with {@code publishAsync}; the future completes on the PubAck. A duplicate PubAck (the
 * stream already holds this {@code Nats-Msg-Id}) is success: that is how replays are dropped.
 * Messages published one after another go out in that order on the one connection, and the server
 * stores them in that order. Completion runs on a jnats thread and only completes the future.
 */
final class JetStreamPublisher implements Publisher {
    private final JetStream jetStream;
    private final PublishFailures failures;

    JetStreamPublisher(JetStream jetStream, PublishFailures failures) {
        this.jetStream = jetStream;
        this.failures = failures;
    }

    @Override
    public CompletableFuture<Void> publish(OutboundRecord record, String subject, Headers headers) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            NatsMessage message = NatsMessage.builder().subject(subject).headers(headers).data(record.message().payload()).build();
            jetStream.publishAsync(message).whenComplete((ack, error) -> {
                if (error != null) {
                    done.completeExceptionally(failures.failed(record, subject, error));
                } else if (ack.hasError()) {
                    done.completeExceptionally(failures.failed(record, subject, new IllegalStateException(ack.getError())));
                } else {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(failures.failed(record, subject, e));
        }
        return done;
    }
}
