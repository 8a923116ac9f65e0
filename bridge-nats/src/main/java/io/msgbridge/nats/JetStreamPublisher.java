package io.msgbridge.nats;

import io.nats.client.JetStream;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

import java.util.concurrent.CompletableFuture;

/**
 * Publishes with {@code publishAsync}; the future completes on the PubAck. A duplicate PubAck (the
 * stream already holds this {@code Nats-Msg-Id}) is success: that is how replays are dropped.
 * Completion runs on a jnats thread and only completes the future.
 */
final class JetStreamPublisher implements Publisher {
    private final JetStream jetStream;
    private final PublishFailures failures;

    JetStreamPublisher(JetStream jetStream, PublishFailures failures) {
        this.jetStream = jetStream;
        this.failures = failures;
    }

    @Override
    public CompletableFuture<Void> publish(String subject, Headers headers, byte[] payload) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            NatsMessage message = NatsMessage.builder().subject(subject).headers(headers).data(payload).build();
            jetStream.publishAsync(message).whenComplete((ack, error) -> {
                if (error != null) {
                    done.completeExceptionally(failures.map(error, subject));
                } else if (ack.hasError()) {
                    done.completeExceptionally(failures.map(new IllegalStateException(ack.getError()), subject));
                } else {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(failures.map(e, subject));
        }
        return done;
    }
}
