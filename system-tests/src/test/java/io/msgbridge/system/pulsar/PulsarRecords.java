package io.msgbridge.system.pulsar;

import io.msgbridge.pulsar.PulsarTestBroker;
import io.msgbridge.testing.KeyedRecords;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Writes keyed test records ({@link KeyedRecords}) into Pulsar topics, each with its key as the message
 * key, and collects what arrives on others.
 */
public final class PulsarRecords implements AutoCloseable {
    final PulsarTestBroker broker;
    final PulsarClient client;
    private final List<Collector> collectors = new ArrayList<>();

    public PulsarRecords(PulsarTestBroker broker) throws Exception {
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
    public void publishKeyed(String topic, int count, int keys) throws Exception {
        publishKeyed(topic, count, keys, 0);
    }

    /** Like {@link #publishKeyed(String, int, int)}, each key's counter starting at {@code firstN}. */
    void publishKeyed(String topic, int count, int keys, int firstN) throws Exception {
        try (Producer<byte[]> producer = client.newProducer(Schema.BYTES).topic(topic)
                .batchingMaxPublishDelay(5, TimeUnit.MILLISECONDS).maxPendingMessages(5000).blockIfQueueFull(true).create()) {
            KeyedRecords numbering = new KeyedRecords(firstN);
            List<CompletableFuture<MessageId>> window = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                KeyedRecords.Record record = numbering.next(i, keys);
                window.add(producer.newMessage().key(record.key()).value(record.bytes()).sendAsync());
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

    /**
     * Asserts that per key the payloads count 0, 1, 2, ... with no gap and no repeat, each message keyed by
     * its payload's key; returns records per key.
     */
    static Map<String, Integer> assertPerKeyOrderWithoutGapsOrDuplicates(List<Message<byte[]>> messages) {
        return KeyedRecords.assertPerKeyOrderWithoutGapsOrDuplicates(messages, m -> new String(m.getData(), StandardCharsets.UTF_8),
                Message::getKey, m -> m.getTopicName() + "@" + m.getMessageId());
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
