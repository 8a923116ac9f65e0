package io.msgbridge.bench;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

import java.io.IOException;
import java.time.Duration;

/**
 * The NATS side of the benchmark: the orchestrator's connection and the core NATS and JetStream
 * endpoints. Streams are named {@code BENCH_<run>_SRC|SNK} with subjects {@code bench.<run>.src|snk}.
 */
final class NatsEndpoints implements AutoCloseable {
    /** The server every scenario uses (the machine's nats-server). */
    static final String URL = System.getProperty("bench.nats", "nats://127.0.0.1:4222");
    private static final int PUBLISH_WINDOW = 5000;
    /**
     * Where the bench's streams keep their messages ({@code bench.nats.storage}: file, the default, or
     * memory): memory takes the disk out of the broker's hop, to tell the bridge's latency from the disk's.
     */
    private static final StorageType STORAGE = StorageType.get(System.getProperty("bench.nats.storage", "file"));

    private final Connection connection;
    private final JetStream jetStream;
    private final JetStreamManagement management;

    NatsEndpoints() throws IOException, InterruptedException {
        this.connection = Nats.connect(new Options.Builder().server(URL).connectionName("msgbridge-bench").build());
        this.jetStream = connection.jetStream();
        this.management = connection.jetStreamManagement();
    }

    /** The YAML {@code connections:} entry the bridge variant uses. */
    String yamlConnection() {
        return "  nats: { type: nats, servers: [ \"" + URL + "\" ] }\n";
    }

    /** A core NATS subject as the source: not stored, so the producer runs while the variant reads. */
    SourceEndpoint coreSource(String run, Keys keys, Payloads payloads) {
        String subject = "bench." + run + ".src";
        return new SourceEndpoint() {
            @Override
            public void create() {
            }

            @Override
            public boolean holdsRecords() {
                return false;
            }

            /**
             * Publishes at the pace the server takes: when jnats' outgoing queue is full it throws, and
             * the producer waits for the queue to be written out before it tries again.
             */
            @Override
            public void publish(long sequence) throws Exception {
                NatsMessage message = message(subject, sequence, keys, payloads);
                while (true) {
                    try {
                        connection.publish(message);
                        return;
                    } catch (IllegalStateException full) {
                        connection.flush(Duration.ofSeconds(30));
                    }
                }
            }

            @Override
            public void flush() throws Exception {
                connection.flush(Duration.ofSeconds(30));
            }

            @Override
            public String yamlFrom() {
                return "{ connection: nats, subject: \"" + subject + "\" }";
            }

            @Override
            public String baselineSpec() {
                return "nats-core:" + subject;
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * A JetStream stream as the source. With {@code workQueue} acknowledged records leave the stream,
     * so a long run's disk use stays bounded by the backlog.
     */
    SourceEndpoint jetStreamSource(String run, boolean workQueue, Keys keys, Payloads payloads) {
        String stream = "BENCH_" + run + "_SRC";
        String subject = "bench." + run + ".src";
        PublishWindow window = PublishWindow.of(PUBLISH_WINDOW, payloads);
        return new SourceEndpoint() {
            private Dispatcher observer;

            @Override
            public void create() throws Exception {
                createStream(stream, subject, workQueue ? RetentionPolicy.WorkQueue : RetentionPolicy.Limits, -1);
            }

            /** A core subscription on the stream's subject: the server delivers each record to it as it stores it. */
            @Override
            public boolean observe(Receipts hop) throws Exception {
                observer = subscribe(subject, hop);
                return true;
            }

            @Override
            public boolean holdsRecords() {
                return true;
            }

            @Override
            public void publish(long sequence) throws Exception {
                window.publish(() -> jetStream.publishAsync(message(subject, sequence, keys, payloads)));
            }

            @Override
            public void flush() throws Exception {
                window.flush();
            }

            @Override
            public String yamlFrom() {
                return "{ connection: nats, stream: " + stream + " }";
            }

            @Override
            public String baselineSpec() {
                return "jetstream:" + stream;
            }

            @Override
            public void close() {
                if (observer != null) {
                    connection.closeDispatcher(observer);
                }
                deleteStream(stream);
            }
        };
    }

    /**
     * A JetStream stream as the sink; the end consumer is a core subscription on its subject (the
     * server delivers each stored message to it as well). {@code maxMessages} bounds the stream for
     * long runs (-1: unbounded).
     */
    SinkEndpoint jetStreamSink(String run, long maxMessages) {
        String stream = "BENCH_" + run + "_SNK";
        String subject = "bench." + run + ".snk";
        return new SinkEndpoint() {
            private Dispatcher dispatcher;

            @Override
            public void create(Receipts receipts) throws Exception {
                createStream(stream, subject, RetentionPolicy.Limits, maxMessages);
                dispatcher = subscribe(subject, receipts);
            }

            @Override
            public String yamlTo() {
                return "{ connection: nats, subject: \"" + subject + "\" }";
            }

            @Override
            public String baselineSpec() {
                return "jetstream:" + subject;
            }

            @Override
            public long stored() throws Exception {
                return management.getStreamInfo(stream).getStreamState().getMsgCount();
            }

            @Override
            public void close() {
                if (dispatcher != null) {
                    connection.closeDispatcher(dispatcher);
                }
                deleteStream(stream);
            }
        };
    }

    /** A core subscription handing each message's payload and key header to {@code receipts}, never dropping for being slow. */
    private Dispatcher subscribe(String subject, Receipts receipts) throws Exception {
        Dispatcher dispatcher = connection.createDispatcher(m -> receipts.received(m.getData(),
                m.hasHeaders() ? m.getHeaders().getFirst(Payloads.KEY_HEADER) : null));
        dispatcher.setPendingLimits(50_000_000L, 16L * 1024 * 1024 * 1024);
        dispatcher.subscribe(subject);
        connection.flush(Duration.ofSeconds(10));
        return dispatcher;
    }

    private void createStream(String stream, String subject, RetentionPolicy retention, long maxMessages) throws Exception {
        deleteStream(stream);
        management.addStream(StreamConfiguration.builder().name(stream).subjects(subject)
                .storageType(STORAGE).retentionPolicy(retention).maxMessages(maxMessages).build());
    }

    private void deleteStream(String stream) {
        try {
            management.deleteStream(stream);
        } catch (Exception e) {
            if (!String.valueOf(e.getMessage()).contains("10059")) {
                System.err.println("bench: could not delete stream " + stream + ": " + e.getMessage());
            }
        }
    }

    /** Record {@code sequence} with its key in the key header, or without headers when the records carry no key. */
    private static NatsMessage message(String subject, long sequence, Keys keys, Payloads payloads) {
        NatsMessage.Builder message = NatsMessage.builder().subject(subject).data(payloads.stamped(sequence, keys));
        if (keys.keyed()) {
            message.headers(new Headers().put(Payloads.KEY_HEADER, keys.of(sequence)));
        }
        return message.build();
    }

    /** Deletes every stream named {@code BENCH_*} left behind by an interrupted run. */
    void deleteLeftovers() throws Exception {
        for (String name : management.getStreamNames()) {
            if (name.startsWith("BENCH_")) {
                deleteStream(name);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        connection.close();
    }
}
