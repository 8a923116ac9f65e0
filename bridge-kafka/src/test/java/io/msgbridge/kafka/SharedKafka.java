package io.msgbridge.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/** The shared test broker, connection options on it, unique topics, and reading a topic back from its start. */
final class SharedKafka {
    private static KafkaProducer<byte[], byte[]> producer;

    private SharedKafka() {
    }

    static KafkaTestBroker broker() {
        return KafkaTestBroker.shared();
    }

    static KafkaConnectionOptions options() {
        return KafkaConnectionOptions.of("test", broker().bootstrap());
    }

    /** A new topic with {@code partitions} partitions: {@code PREFIX-XXXXXXXX}. */
    static String newTopic(String prefix, int partitions) {
        String topic = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        broker().createTopic(topic, partitions);
        return topic;
    }

    /** A producer on the shared broker, shared by the tests of a JVM, never closed. */
    static synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = broker().producer();
        }
        return producer;
    }

    /** Reads every partition of {@code topic} from its start until {@code expected} records arrived or {@code timeout} passed. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
