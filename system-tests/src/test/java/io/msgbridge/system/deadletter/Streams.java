package io.msgbridge.system.deadletter;

import io.nats.client.Connection;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStream;
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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test's JetStream client on one server: creates streams, publishes keyed records whose payload is
 * {@code {"k":"key-N","n":SEQ_WITHIN_KEY}}, counts and reads streams, checks per-key order.
 */
final class Streams implements AutoCloseable {
    final Connection connection;
    final JetStream js;
    final JetStreamManagement jsm;
    private final Map<String, Integer> perKey = new HashMap<>();

    Streams(String url, String user, String password) throws Exception {
        Options.Builder options = new Options.Builder().server(url).maxReconnects(-1);
        if (user != null) {
            options.userInfo(user, password);
        }
        connection = Nats.connect(options.build());
        js = connection.jetStream();
        jsm = connection.jetStreamManagement();
    }

    Streams(String url) throws Exception {
        this(url, null, null);
    }

    void create(String name, String subjects, long maxMessageSize) throws Exception {
        StreamConfiguration.Builder b = StreamConfiguration.builder().name(name).subjects(subjects)
                .storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(10));
        if (maxMessageSize > 0) {
            b.maximumMessageSize((int) maxMessageSize);
        }
        jsm.addStream(b.build());
    }

    /** Lifts a stream's maximum message size. */
    void unlimit(String name) throws Exception {
        StreamConfiguration current = jsm.getStreamInfo(name).getConfiguration();
        jsm.updateStream(StreamConfiguration.builder(current).maximumMessageSize(-1).build());
    }

    /** Publishes {@code count} records over {@code keys} keys, continuing each key's count from earlier calls. */
    void publishKeyed(String subject, int count, int keys, String padding) throws Exception {
        List<CompletableFuture<PublishAck>> window = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = "key-" + (i % keys);
            int n = perKey.merge(key, 1, Integer::sum) - 1;
            String body = "{\"k\":\"" + key + "\",\"n\":" + n + padding + "}";
            window.add(js.publishAsync(subject, new Headers().add("Sharding-Key", key), body.getBytes(StandardCharsets.UTF_8)));
        }
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
    }

    /** Publishes one raw payload; returns its stream sequence. */
    long publish(String subject, String key, String payload) throws Exception {
        Headers headers = key == null ? new Headers() : new Headers().add("Sharding-Key", key);
        return js.publish(subject, headers, payload.getBytes(StandardCharsets.UTF_8)).getSeqno();
    }

    long count(String stream) {
        try {
            return jsm.getStreamInfo(stream).getStreamState().getMsgCount();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Every message of the stream, in stream order. */
    List<Message> readAll(String stream) throws Exception {
        long expected = count(stream);
        List<Message> messages = new ArrayList<>();
        OrderedConsumerContext consumer = connection.getStreamContext(stream).createOrderedConsumer(new OrderedConsumerConfiguration());
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

    /** Asserts that per key the payloads count 0, 1, 2, ... with no gap and no repeat; returns records per key. */
    static Map<String, Integer> assertPerKeyOrder(List<Message> messages) {
        Map<String, Integer> next = new HashMap<>();
        for (Message m : messages) {
            String body = new String(m.getData(), StandardCharsets.UTF_8);
            String key = body.replaceAll("^\\{\"k\":\"([^\"]+)\".*", "$1");
            int n = Integer.parseInt(body.replaceAll("^\\{\"k\":\"[^\"]+\",\"n\":(\\d+).*", "$1"));
            int expected = next.getOrDefault(key, 0);
            assertThat(n).as("record of %s at stream sequence %d", key, m.metaData().streamSequence()).isEqualTo(expected);
            next.put(key, expected + 1);
        }
        return next;
    }

    @Override
    public void close() throws InterruptedException {
        connection.close();
    }
}
