package io.msgbridge.system.kafka;

import io.msgbridge.kafka.KafkaTestBroker;
import io.msgbridge.testing.KeyedRecords;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes keyed test records into Kafka topics and collects what arrives on others. Each record's value is
 * {@code {"k":"key-N","n":SEQ_WITHIN_KEY}} and its key {@code key-N}, so per-key order can be checked at
 * the far end (Kafka keeps a key in one partition, in order).
 */
final class KafkaRecords implements AutoCloseable {
    final KafkaTestBroker broker;
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<Collector> collectors = new ArrayList<>();

    KafkaRecords(KafkaTestBroker broker) {
        this.broker = broker;
        this.producer = broker.producer();
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** A {@code connections} entry for the broker's plain listener. */
    String connection() {
        return "{ type: kafka, bootstrap-servers: \"" + broker.bootstrap() + "\" }";
    }

    /**
     * Writes {@code count} records over {@code keys} keys to {@code topic}, each key's counter starting at
     * {@code firstN}, and waits until the broker confirmed each one (a send that failed fails here, not as
     * a record missing at the far end).
     */
    void publishKeyed(String topic, int count, int keys, int firstN) {
        KeyedRecords numbering = new KeyedRecords(firstN);
        List<Future<RecordMetadata>> sent = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            KeyedRecords.Record record = numbering.next(i, keys);
            sent.add(producer.send(new ProducerRecord<>(topic, record.key().getBytes(StandardCharsets.UTF_8), record.bytes())));
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the test producer could not write to " + topic + ": " + e.getCause(), e.getCause());
            }
        }
    }

    /** The end offset of each partition of {@code topic}, as {@code topic-N=offset}: what a failed wait shows. */
    String endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return new TreeMap<>(consumer.endOffsets(partitions)).toString();
        }
    }

    void publishKeyed(String topic, int count, int keys) {
        publishKeyed(topic, count, keys, 0);
    }

    /** Starts reading every partition of {@code topic} from its start in the background. */
    Collector collect(String topic) {
        Collector c = new Collector(broker, topic);
        collectors.add(c);
        return c;
    }

    /**
     * Asserts that per key every n from 0 up arrives and that the last copy of each comes after the last
     * copy of the one before (what an at-least-once sink promises after replays); returns per key how many
     * distinct records arrived.
     */
    static Map<String, Integer> assertNothingLostLastCopiesInOrder(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Map<Integer, Integer>> lastIndex = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            String body = new String(records.get(i).value(), StandardCharsets.UTF_8);
            String key = KeyedRecords.keyOf(body);
            int n = KeyedRecords.numberOf(body);
            assertThat(new String(records.get(i).key(), StandardCharsets.UTF_8)).isEqualTo(key);
            lastIndex.computeIfAbsent(key, k -> new HashMap<>()).put(n, i);
        }
        Map<String, Integer> perKey = new HashMap<>();
        lastIndex.forEach((key, indexes) -> {
            for (int n = 0; n < indexes.size(); n++) {
                assertThat(indexes).as("records of %s", key).containsKey(n);
                if (n > 0) {
                    assertThat(indexes.get(n)).as("last copy of %s n=%d after that of n=%d", key, n, n - 1)
                            .isGreaterThan(indexes.get(n - 1));
                }
            }
            perKey.put(key, indexes.size());
        });
        return perKey;
    }

    @Override
    public void close() {
        collectors.forEach(Collector::close);
        producer.close(Duration.ofSeconds(5));
    }

    /** Reads a topic from its start on a thread of its own; records are kept per partition in offset order. */
    static final class Collector implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new HashMap<>();
        private final Thread thread;
        private volatile boolean closed;
        private int count;

        Collector(KafkaTestBroker broker, String topic) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            consumer = new KafkaConsumer<>(p);
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            thread = Thread.ofPlatform().daemon().name("collect-" + topic).start(this::run);
        }

        private void run() {
            try {
                while (!closed) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        synchronized (this) {
                            byPartition.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r);
                            count++;
                        }
                    }
                }
            } catch (WakeupException e) {
                // closed
            } catch (RuntimeException e) {
                if (!closed) {
                    throw e;
                }
            } finally {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
            }
        }

        synchronized int count() {
            return count;
        }

        /** Every record so far, partition by partition, each partition in offset order. */
        synchronized List<ConsumerRecord<byte[], byte[]>> records() {
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            byPartition.keySet().stream().sorted().forEach(p -> all.addAll(byPartition.get(p)));
            return all;
        }

        @Override
        public void close() {
            closed = true;
            consumer.wakeup();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
