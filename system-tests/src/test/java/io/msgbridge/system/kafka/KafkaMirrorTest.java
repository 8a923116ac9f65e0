package io.msgbridge.system.kafka;

import io.msgbridge.kafka.KafkaTestBroker;
import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Kafka → Kafka mirror by {@code topics-pattern} with {@code partition: source}: a topic created while
 * the daemon runs is picked up, and every record arrives in the partition it had, with its key, headers
 * (every value, in order) and timestamp.
 */
class KafkaMirrorTest {
    private static final int PER_PARTITION = 50;

    @TempDir
    Path dir;

    private final String id = KafkaRecords.uniqueName("mirror");
    private KafkaRecords kafka;

    @BeforeEach
    void setUp() {
        kafka = new KafkaRecords(KafkaTestBroker.shared());
    }

    @AfterEach
    void tearDown() {
        kafka.close();
    }

    @Test
    void mirrorsEveryMatchingTopicIncludingOneCreatedLaterKeepingPartitionsKeysHeadersAndTimestamps() throws Exception {
        String first = id + ".src.orders";
        String later = id + ".src.payments";
        kafka.broker.createTopic(first, 3);
        kafka.broker.createTopic(id + ".dst.orders", 3);
        kafka.broker.createTopic(id + ".dst.payments", 2);
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = kafka.broker.producer()) {
            sent.addAll(produce(producer, first, 3));
            KafkaRecords.Collector orders = kafka.collect(id + ".dst.orders");
            KafkaRecords.Collector payments = kafka.collect(id + ".dst.payments");
            DaemonConfig config = DaemonConfig.offsetFile(dir, """
                    connections:
                      kafka: %s
                    pipelines:
                      - name: mirror
                        from: { connection: kafka, topics-pattern: "%s\\\\.src\\\\..*", pattern-discovery: 1s }
                        to: { connection: kafka, topic: "{topic}", rewrite: { pattern: "(.*)\\\\.src\\\\.(.*)", replacement: "$1.dst.$2" }, partition: source }
                        key: native
                    """.formatted(kafka.connection(), id));

            try (DaemonProcess daemon = config.run()) {
                daemon.awaitReady(Duration.ofSeconds(60));
                daemon.await("the first topic mirrored", Duration.ofSeconds(60), () -> orders.count() >= 3 * PER_PARTITION);
                kafka.broker.createTopic(later, 2);
                sent.addAll(produce(producer, later, 2));
                daemon.await("the topic created later mirrored", Duration.ofSeconds(60), () -> payments.count() >= 2 * PER_PARTITION);
                assertThat(daemon.terminate(Duration.ofSeconds(30))).isZero();
            }
            List<ConsumerRecord<byte[], byte[]>> copies = new ArrayList<>(orders.records());
            copies.addAll(payments.records());
            assertThat(copies).hasSize(sent.size());
            for (ProducerRecord<byte[], byte[]> original : sent) {
                String body = new String(original.value(), StandardCharsets.UTF_8);
                ConsumerRecord<byte[], byte[]> copy = copies.stream()
                        .filter(c -> new String(c.value(), StandardCharsets.UTF_8).equals(body)).findFirst().orElseThrow();
                assertThat(copy.topic()).isEqualTo(original.topic().replace(".src.", ".dst."));
                assertThat(copy.partition()).as("partition of %s", body).isEqualTo(original.partition());
                assertThat(copy.key()).isEqualTo(original.key());
                assertThat(copy.timestamp()).isEqualTo(original.timestamp());
                assertThat(copy.headers().toArray()).extracting(h -> h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8))
                        .containsExactly("trace=" + body, "tag=a", "tag=b");
            }
            for (ProducerRecord<byte[], byte[]> original : sent) {
                String key = new String(original.key(), StandardCharsets.UTF_8);
                assertThat(bodies(copies, original.topic().replace(".src.", ".dst."), original.partition(), key))
                        .as("records of key %s in partition %d of %s, in order", key, original.partition(), original.topic())
                        .containsExactlyElementsOf(sent.stream()
                                .filter(s -> s.topic().equals(original.topic()) && s.partition().equals(original.partition())
                                        && new String(s.key(), StandardCharsets.UTF_8).equals(key))
                                .map(s -> new String(s.value(), StandardCharsets.UTF_8)).toList());
            }
        }
    }

    private static List<String> bodies(List<ConsumerRecord<byte[], byte[]>> records, String topic, int partition, String key) {
        return records.stream().filter(r -> r.topic().equals(topic) && r.partition() == partition
                        && new String(r.key(), StandardCharsets.UTF_8).equals(key))
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    /** Writes PER_PARTITION records to each partition, with a key, two values of one header and a fixed timestamp. */
    private static List<ProducerRecord<byte[], byte[]>> produce(KafkaProducer<byte[], byte[]> producer, String topic, int partitions) {
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            for (int i = 0; i < PER_PARTITION; i++) {
                String body = topic + "/" + p + "/" + i;
                RecordHeaders headers = new RecordHeaders();
                headers.add(new RecordHeader("trace", body.getBytes(StandardCharsets.UTF_8)));
                headers.add(new RecordHeader("tag", "a".getBytes(StandardCharsets.UTF_8)));
                headers.add(new RecordHeader("tag", "b".getBytes(StandardCharsets.UTF_8)));
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, p, 1_700_000_000_000L + i,
                        ("key-" + (i % 7)).getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8), headers);
                producer.send(r);
                sent.add(r);
            }
        }
        producer.flush();
        return sent;
    }
}
