package io.msgbridge.system.pulsar;

import io.msgbridge.pulsar.PulsarTestBroker;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes keyed test records into Pulsar topics and collects what arrives on others. Each record's
 * payload is {@code {"k":"key-N","n":SEQ_WITHIN_KEY}} and its key {@code key-N}, so per-key order can
 * be checked at the far end.
 */
final class PulsarRecords implements AutoCloseable {
    final PulsarTestBroker broker;
    final PulsarClient client;
    private final List<Collector> collectors = new ArrayList<>();

    PulsarRecords(PulsarTestBroker broker) throws Exception {
        this.broker = broker;
        this.client = broker.clientBuilder().build();
    }

    /** A {@code connections} entry for the broker, authenticated as admin: {@code { type: pulsar, ... }}. */
    String connection() {
        return "{ type: pulsar, service-url: \"" + broker.serviceUrl() + "\", admin-url: \"" + broker.webUrl()
                + "\", auth: { token: \"" + broker.adminToken() + "\" } }";
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static String topic(String name) {
        return "persistent://public/default/" + name;
    }

    /** Publishes {@code count} records over {@code keys} keys to {@code topic}, batched and asynchronous. */
    void publishKeyed(String topic, int count, int keys) throws Exception {
        publishKeyed(topic, count, keys, 0);
    }

    /** Like {@link #publishKeyed(String, int, int)}, each key's counter starting at {@code firstN}. */
    void publishKeyed(String topic, int count, int keys, int firstN) throws Exception {
        try (Producer<byte[]> producer = client.newProducer(Schema.BYTES).topic(topic)
                .batchingMaxPublishDelay(5, TimeUnit.MILLISECONDS).maxPendingMessages(5000).blockIfQueueFull(true).create()) {
            int[] perKey = new int[keys];
            java.util.Arrays.fill(perKey, firstN);
            List<CompletableFuture<MessageId>> window = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int key = (int) ((i * 7919L) % keys);
                String body = "{\"k\":\"key-" + key + "\",\"n\":" + perKey[key]++ + "}";
                window.add(producer.newMessage().key("key-" + key).value(body.getBytes(StandardCharsets.UTF_8)).sendAsync());
                if (window.size() == 5000) {
                    CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
                    window.clear();
                }
            }
            CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
        }
    }

    /** Starts reading {@code topic} from its earliest message in the background. */
    Collector collect(String topic) throws Exception {
        Collector c = new Collector(client.newReader(Schema.BYTES).topic(topic).startMessageId(MessageId.earliest)
                .receiverQueueSize(1000).create());
        collectors.add(c);
        return c;
    }

    /** Everything a reader got from one topic, in topic order. */
    static final class Collector implements AutoCloseable {
        private final Reader<byte[]> reader;
        private final List<Message<byte[]>> messages = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;
        private volatile boolean stop;

        Collector(Reader<byte[]> reader) {
            this.reader = reader;
            this.thread = Thread.ofPlatform().daemon().name("collect-" + reader.getTopic()).start(this::run);
        }

        private void run() {
            while (!stop) {
                try {
                    Message<byte[]> m = reader.readNext(200, TimeUnit.MILLISECONDS);
                    if (m != null) {
                        messages.add(m);
                    }
                } catch (Exception e) {
                    if (stop) {
                        return;
                    }
                }
            }
        }

        int count() {
            return messages.size();
        }

        List<Message<byte[]>> messages() {
            synchronized (messages) {
                return List.copyOf(messages);
            }
        }

        @Override
        public void close() throws Exception {
            stop = true;
            thread.join(5000);
            reader.close();
        }
    }

    /** Per key, the payload counters seen in order; asserts no gap and no repeat; returns records per key. */
    static Map<String, Integer> assertPerKeyOrderWithoutGapsOrDuplicates(List<String> bodies, List<String> keys) {
        Map<String, Integer> next = new HashMap<>();
        for (int i = 0; i < bodies.size(); i++) {
            String body = bodies.get(i);
            String key = body.replaceAll(".*\"k\":\"([^\"]+)\".*", "$1");
            int n = Integer.parseInt(body.replaceAll(".*\"n\":(\\d+).*", "$1"));
            int expected = next.getOrDefault(key, 0);
            assertThat(n).as("record %d of %s (body %s)", i, key, body).isEqualTo(expected);
            next.put(key, expected + 1);
            if (keys != null) {
                assertThat(keys.get(i)).as("key of record %d", i).isEqualTo(key);
            }
        }
        return next;
    }

    /** Per key, asserts the payload counters never go backwards except to repeat, and that none is missing. */
    static Map<String, Integer> assertNothingLostPerKeyOrdered(List<String> bodies) {
        Map<String, Integer> next = new HashMap<>();
        for (String body : bodies) {
            String key = body.replaceAll(".*\"k\":\"([^\"]+)\".*", "$1");
            int n = Integer.parseInt(body.replaceAll(".*\"n\":(\\d+).*", "$1"));
            int expected = next.getOrDefault(key, 0);
            assertThat(n).as("record of %s: no gap (a redelivery may repeat earlier ones)", key).isLessThanOrEqualTo(expected);
            if (n == expected) {
                next.put(key, expected + 1);
            }
        }
        return next;
    }

    static List<String> bodies(List<Message<byte[]>> messages) {
        return messages.stream().map(m -> new String(m.getData(), StandardCharsets.UTF_8)).toList();
    }

    @Override
    public void close() throws Exception {
        for (Collector c : collectors) {
            c.close();
        }
        client.close();
    }
}
