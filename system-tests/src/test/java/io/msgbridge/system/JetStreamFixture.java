package io.msgbridge.system;

import io.msgbridge.testing.KeyedRecords;
import io.nats.client.Connection;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.OrderedConsumerContext;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Writes keyed test records ({@link KeyedRecords}) into JetStream and reads a stream back, on the
 * machine's nats-server (127.0.0.1:4222) or a test's own; {@link #close()} deletes the streams it created.
 */
public final class JetStreamFixture implements AutoCloseable {
    public static final String URL = "nats://127.0.0.1:4222";

    public final Connection connection;
    public final JetStream js;
    public final JetStreamManagement jsm;
    private final List<String> streams = new ArrayList<>();
    private final KeyedRecords numbering = new KeyedRecords();

    public JetStreamFixture() throws IOException, InterruptedException {
        this(URL);
    }

    /** A fixture on another nats-server, such as a test's own {@code NatsTestServer}. */
    public JetStreamFixture(String url) throws IOException, InterruptedException {
        this(url, null, null);
    }

    /**
     * A fixture that logs in as {@code user}. It reconnects for as long as it is open, so that a test can
     * stop and restart the server under it.
     */
    public JetStreamFixture(String url, String user, String password) throws IOException, InterruptedException {
        Options.Builder options = new Options.Builder().server(url).maxReconnects(-1);
        if (user != null) {
            options.userInfo(user, password);
        }
        connection = Nats.connect(options.build());
        js = connection.jetStream();
        jsm = connection.jetStreamManagement();
    }

    /** Creates a file stream, deleted again by {@link #close()}. */
    public void createStream(String name, String subjects) throws IOException, JetStreamApiException {
        createStream(name, subjects, -1);
    }

    /** Like {@link #createStream(String, String)}, refusing messages over {@code maxMessageSize} bytes. */
    public void createStream(String name, String subjects, int maxMessageSize) throws IOException, JetStreamApiException {
        jsm.addStream(StreamConfiguration.builder().name(name).subjects(subjects).storageType(StorageType.File)
                .duplicateWindow(Duration.ofMinutes(10)).maximumMessageSize(maxMessageSize).build());
        streams.add(name);
    }

    /** Lifts a stream's maximum message size. */
    public void unlimit(String name) throws IOException, JetStreamApiException {
        StreamConfiguration current = jsm.getStreamInfo(name).getConfiguration();
        jsm.updateStream(StreamConfiguration.builder(current).maximumMessageSize(-1).build());
    }

    /**
     * Publishes {@code count} records over {@code keys} keys to {@code subject}, keyed by the Sharding-Key
     * header. Each key's records are numbered on from the ones this fixture published before.
     */
    public void publishKeyed(String subject, int count, int keys) throws Exception {
        publishKeyed(subject, count, keys, "");
    }

    /** Like {@link #publishKeyed(String, int, int)}, with {@code padding} after the number in each payload. */
    public void publishKeyed(String subject, int count, int keys, String padding) throws Exception {
        List<CompletableFuture<PublishAck>> window = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            KeyedRecords.Record record = numbering.next(i, keys, padding);
            window.add(js.publishAsync(subject, new Headers().add("Sharding-Key", record.key()), record.bytes()));
            if (window.size() == 2000) {
                CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
                window.clear();
            }
        }
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
    }

    /** Publishes one raw payload, with a Sharding-Key header unless {@code key} is null; its stream sequence. */
    public long publish(String subject, String key, String payload) throws IOException, JetStreamApiException {
        Headers headers = key == null ? new Headers() : new Headers().add("Sharding-Key", key);
        return js.publish(subject, headers, payload.getBytes(StandardCharsets.UTF_8)).getSeqno();
    }

    /**
     * Publishes {@code count} records of {@code size} bytes to {@code subject}: each payload is
     * {@code {"n":SEQ}} padded with spaces, so order and size can be checked at the far end. A few at a
     * time, so that large payloads do not pile up in this client.
     */
    public void publishSized(String subject, int count, int size) throws Exception {
        List<CompletableFuture<PublishAck>> window = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[size];
            java.util.Arrays.fill(payload, (byte) ' ');
            byte[] head = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            System.arraycopy(head, 0, payload, 0, head.length);
            window.add(js.publishAsync(subject, payload));
            if (window.size() == 32) {
                CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
                window.clear();
            }
        }
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
    }

    /** The messages in {@code stream}; -1 while the server does not answer, so that a wait can poll through a restart. */
    public long count(String stream) {
        try {
            return jsm.getStreamInfo(stream).getStreamState().getMsgCount();
        } catch (IOException | JetStreamApiException e) {
            return -1;
        }
    }

    /** Every message of the stream, in stream order. */
    public List<Message> readAll(String stream) throws Exception {
        long expected = count(stream);
        List<Message> messages = new ArrayList<>();
        OrderedConsumerContext consumer = connection.getStreamContext(stream)
                .createOrderedConsumer(new OrderedConsumerConfiguration());
        try (IterableConsumer iterator = consumer.iterate()) {
            while (messages.size() < expected) {
                Message m = iterator.nextMessage(Duration.ofSeconds(10));
                if (m == null) {
                    throw new AssertionError("read " + messages.size() + " of " + expected + " messages of " + stream);
                }
                messages.add(m);
            }
        }
        return messages;
    }

    /**
     * Asserts that per key the payloads count 0, 1, 2, ... with no gap and no repeat, each with its key in
     * the Sharding-Key header; returns records per key.
     */
    public static Map<String, Integer> assertPerKeyOrderWithoutGapsOrDuplicates(List<Message> messages) {
        return KeyedRecords.assertPerKeyOrderWithoutGapsOrDuplicates(messages, m -> new String(m.getData(), StandardCharsets.UTF_8),
                m -> m.getHeaders().getFirst("Sharding-Key"), m -> "stream sequence " + m.metaData().streamSequence());
    }

    @Override
    public void close() throws Exception {
        for (String stream : streams) {
            try {
                jsm.deleteStream(stream);
            } catch (JetStreamApiException | IOException ignored) {
                // the stream is gone already
            }
        }
        connection.close();
    }
}
