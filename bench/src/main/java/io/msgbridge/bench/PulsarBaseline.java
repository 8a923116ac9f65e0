package io.msgbridge.bench;

import org.apache.pulsar.client.api.AuthenticationFactory;
import org.apache.pulsar.client.api.BatcherBuilder;
import org.apache.pulsar.client.api.CompressionType;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;
import org.apache.pulsar.client.api.TypedMessageBuilder;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The baseline's Pulsar clients, with the settings of the bridge's Pulsar backend and its defaults:
 * one client per side (connect timeout 5 s, operation timeout 10 s, one I/O and one listener thread,
 * no stats), authenticated with the token in {@link PulsarEndpoints#TOKEN_VARIABLE} on the service URL
 * in {@link PulsarEndpoints#URL_VARIABLE}. Source: an exclusive subscription from the earliest message,
 * receiver queue min(1000, in-flight limit), batch-index acks, acknowledged cumulatively up to the
 * contiguous prefix of records the sink confirmed. Sink: a producer batching up to 1000 messages or
 * 1 ms, without compression, send timeout 30 s, at most 1000 messages pending and blocking when full;
 * each message carries the record's key.
 */
final class PulsarBaseline {
    private static final int RECEIVER_QUEUE = 1000;
    private static final int MAX_PENDING = 1000;
    private static final int BATCH_MESSAGES = 1000;

    private PulsarBaseline() {
    }

    static BaselineMain.Source source(String topic, int maxInFlight) throws PulsarClientException {
        PulsarClient client = client();
        int queue = Math.min(RECEIVER_QUEUE, maxInFlight);
        Consumer<byte[]> consumer = client.newConsumer(Schema.BYTES).topic(topic).subscriptionName("baseline")
                .subscriptionType(SubscriptionType.Exclusive).subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
                .receiverQueueSize(queue).enableBatchIndexAcknowledgment(true)
                .maxTotalReceiverQueueSizeAcrossPartitions(Math.max(queue, maxInFlight)).subscribe();
        CumulativeAcks acks = new CumulativeAcks(consumer);
        return new BaselineMain.Source() {
            @Override
            public BaselineMain.Received next(Duration timeout) throws PulsarClientException {
                Message<byte[]> m = consumer.receive((int) timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (m == null) {
                    return null;
                }
                return new BaselineMain.Received(m.getTopicName(), m.getData(), m.hasKey() ? m.getKey() : null,
                        m.getTopicName() + "/" + m.getMessageId(), acks.read(m.getMessageId()));
            }

            @Override
            public void close() throws PulsarClientException {
                consumer.close();
                client.close();
            }
        };
    }

    static BaselineMain.Sink sink(String topic) throws PulsarClientException {
        PulsarClient client = client();
        Producer<byte[]> producer = client.newProducer(Schema.BYTES).topic(topic).sendTimeout(30, TimeUnit.SECONDS)
                .blockIfQueueFull(true).maxPendingMessages(MAX_PENDING).compressionType(CompressionType.NONE)
                .enableBatching(true).batchingMaxPublishDelay(1, TimeUnit.MILLISECONDS).batchingMaxMessages(BATCH_MESSAGES)
                .batcherBuilder(BatcherBuilder.DEFAULT).create();
        return new BaselineMain.Sink() {
            @Override
            public CompletableFuture<?> publish(BaselineMain.Received record) {
                TypedMessageBuilder<byte[]> message = producer.newMessage().value(record.payload());
                if (record.key() != null) {
                    message.key(record.key());
                }
                return message.sendAsync();
            }

            @Override
            public void close() throws PulsarClientException {
                producer.close();
                client.close();
            }
        };
    }

    @SuppressWarnings("deprecation") // statsInterval: the bridge's client turns stats off the same way
    private static PulsarClient client() throws PulsarClientException {
        return PulsarClient.builder().serviceUrl(environment(PulsarEndpoints.URL_VARIABLE))
                .authentication(AuthenticationFactory.token(environment(PulsarEndpoints.TOKEN_VARIABLE)))
                .connectionTimeout(5, TimeUnit.SECONDS).operationTimeout(10, TimeUnit.SECONDS)
                .ioThreads(1).listenerThreads(1).statsInterval(0, TimeUnit.SECONDS).build();
    }

    private static String environment(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the environment variable " + name + " is not set");
        }
        return value;
    }

    /**
     * Cumulative acks of the contiguous prefix of done records, in the order they were read: a record
     * confirmed before an earlier one waits for it. Thread-safe: done on the sink's callback threads.
     */
    private static final class CumulativeAcks {
        private final Consumer<byte[]> consumer;
        private final Deque<Read> unacked = new ArrayDeque<>();

        CumulativeAcks(Consumer<byte[]> consumer) {
            this.consumer = consumer;
        }

        /** Registers a record just read; the returned action marks it done. */
        synchronized Runnable read(MessageId id) {
            Read read = new Read(id);
            unacked.addLast(read);
            return () -> done(read);
        }

        private void done(Read read) {
            MessageId upTo = markDone(read);
            if (upTo != null) {
                consumer.acknowledgeCumulativeAsync(upTo).exceptionally(e -> {
                    System.err.println("cumulative ack up to " + upTo + " failed: " + e);
                    return null;
                });
            }
        }

        /** Marks {@code read} done and drops the done prefix; returns its last id, or null when the prefix did not grow. */
        private synchronized MessageId markDone(Read read) {
            read.done = true;
            MessageId upTo = null;
            while (!unacked.isEmpty() && unacked.peekFirst().done) {
                upTo = unacked.pollFirst().id;
            }
            return upTo;
        }

        private static final class Read {
            final MessageId id;
            boolean done;

            Read(MessageId id) {
                this.id = id;
            }
        }
    }
}
