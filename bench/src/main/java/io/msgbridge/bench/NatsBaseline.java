package io.msgbridge.bench;

import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.ConsumerContext;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The baseline's NATS clients, with the settings the bridge's NATS backend uses: one connection per
 * side (connect timeout 5 s, reconnect wait 2 s, reconnect forever, requests not flushed one by one), a durable pull consumer with
 * explicit acks, ack wait 60 s, pull batch 256 (fewer for large payloads: {@link #batch}) and max ack
 * pending = in-flight limit + 2 batches,
 * read through jnats' {@link IterableConsumer}; JetStream publishes with {@code publishAsync},
 * {@code Nats-Msg-Id} and the key header; core subscriptions buffer at most 10,000 messages.
 */
final class NatsBaseline {
    private static final int BATCH = 256;
    /**
     * The most payload bytes a pull asks for: what a pull request of the bridge's JetStream source asks
     * for at the default settings (half its read-ahead, which is a quarter of {@code max-in-flight.bytes}).
     */
    private static final int PULL_BYTES = 4 << 20;
    /** What a core subscription buffers: the default {@code buffer} of the bridge's core NATS source. */
    private static final int CORE_BUFFER = 10_000;

    private NatsBaseline() {
    }

    /** The source {@code spec} names, for records of {@code payloadBytes}. */
    static BaselineMain.Source source(String spec, int maxInFlight, int payloadBytes) throws Exception {
        if (spec.startsWith("jetstream:")) {
            return jetStream(spec.substring("jetstream:".length()), maxInFlight, batch(payloadBytes));
        }
        if (spec.startsWith("nats-core:")) {
            return core(spec.substring("nats-core:".length()));
        }
        throw new IllegalArgumentException("unknown source " + spec);
    }

    /** Whether {@code spec} names a NATS source, whose records carry their key in {@link Payloads#KEY_HEADER}. */
    static boolean isNats(String spec) {
        return spec.startsWith("jetstream:") || spec.startsWith("nats-core:");
    }

    static BaselineMain.Sink sink(String spec) throws Exception {
        if (!spec.startsWith("jetstream:")) {
            throw new IllegalArgumentException("unknown sink " + spec);
        }
        String subject = spec.substring("jetstream:".length());
        Connection conn = connect("baseline-sink");
        JetStream js = conn.jetStream();
        return new BaselineMain.Sink() {
            @Override
            public CompletableFuture<?> publish(BaselineMain.Received record) {
                Headers headers = new Headers().put("Nats-Msg-Id", record.id());
                if (record.key() != null) {
                    headers.put(Payloads.KEY_HEADER, record.key());
                }
                return js.publishAsync(NatsMessage.builder().subject(subject).headers(headers).data(record.payload()).build());
            }

            @Override
            public void close() throws InterruptedException {
                conn.close();
            }
        };
    }

    /**
     * The pull batch for records of {@code payloadBytes}: {@value #BATCH}, or as many as fit in
     * {@link #PULL_BYTES} (at least one). A count, not the client's {@code batchBytes}: with that set,
     * jnats asks again whenever fewer than 3/4 of the bytes are pending, which small records always are,
     * and the loop over 1 KiB records would pull far more often than it does.
     */
    private static int batch(int payloadBytes) {
        return Math.max(1, Math.min(BATCH, PULL_BYTES / payloadBytes));
    }

    private static BaselineMain.Source jetStream(String stream, int maxInFlight, int batch) throws Exception {
        Connection conn = connect("baseline-source");
        ConsumerConfiguration config = ConsumerConfiguration.builder().durable("baseline").ackPolicy(AckPolicy.Explicit)
                .ackWait(Duration.ofSeconds(60)).maxAckPending(maxInFlight + 2L * batch).deliverPolicy(DeliverPolicy.All).build();
        ConsumerContext context = conn.getStreamContext(stream).createOrUpdateConsumer(config);
        IterableConsumer consumer = context.iterate(ConsumeOptions.builder().batchSize(batch).build());
        return new BaselineMain.Source() {
            @Override
            public BaselineMain.Received next(Duration timeout) throws Exception {
                Message m = consumer.nextMessage(timeout);
                if (m == null) {
                    return null;
                }
                long sequence = m.metaData().streamSequence();
                return new BaselineMain.Received(m.getSubject(), m.getData(), key(m), stream + "/" + sequence, m::ack);
            }

            @Override
            public void close() throws Exception {
                consumer.stop();
                conn.close();
            }
        };
    }

    private static BaselineMain.Source core(String subject) throws Exception {
        Connection conn = connect("baseline-source");
        Subscription subscription = conn.subscribe(subject);
        subscription.setPendingLimits(CORE_BUFFER, 64L * 1024 * 1024);
        conn.flush(Duration.ofSeconds(5));
        return new BaselineMain.Source() {
            private long counter;

            @Override
            public BaselineMain.Received next(Duration timeout) throws Exception {
                Message m = subscription.nextMessage(timeout);
                if (m == null) {
                    return null;
                }
                return new BaselineMain.Received(m.getSubject(), m.getData(), key(m), subject + "/" + (++counter), () -> { });
            }

            @Override
            public void close() throws InterruptedException {
                conn.close();
            }
        };
    }

    private static String key(Message m) {
        return m.hasHeaders() ? m.getHeaders().getFirst(Payloads.KEY_HEADER) : null;
    }

    private static Connection connect(String name) throws IOException, InterruptedException {
        return Nats.connect(new Options.Builder().server(NatsEndpoints.URL).connectionTimeout(Duration.ofSeconds(5))
                .reconnectWait(Duration.ofSeconds(2)).maxReconnects(-1).dontForceFlushOnRequest().connectionName(name).build());
    }
}
