package io.msgbridge.system.kafka;

import io.msgbridge.kafka.KafkaTestBroker;
import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import io.msgbridge.system.JetStreamFixture;
import io.nats.client.Message;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka → JetStream and JetStream → Kafka through the daemon: 100,000 records over 100 keys, the daemon
 * SIGKILLed mid-run and started again. Nothing is lost and per-key order holds. Into JetStream every record
 * arrives once (the sink's {@code Nats-Msg-Id} is derived from the Kafka partition and offset, so the
 * replay after the crash is dropped by the stream); into Kafka the replay is written again, so a key may
 * show records twice, the last copies in order (README: "Delivery guarantees").
 */
class KafkaJetStreamTest {
    private static final int RECORDS = 100_000;
    private static final int KEYS = 100;
    private static final Duration DELIVERY = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    private final String id = KafkaRecords.uniqueName("kjs");
    private KafkaRecords kafka;
    private JetStreamFixture nats;

    @BeforeEach
    void setUp() throws Exception {
        kafka = new KafkaRecords(KafkaTestBroker.shared());
        nats = new JetStreamFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        kafka.close();
        nats.close();
    }

    private DaemonConfig config(String pipeline) throws Exception {
        return DaemonConfig.offsetFile(dir, """
                shutdown-timeout: 20s
                connections:
                  kafka: %s
                  js: { type: nats, servers: [%s] }
                pipelines:
                %s
                """.formatted(kafka.connection(), JetStreamFixture.URL, pipeline));
    }

    @Test
    void copiesAHundredThousandRecordsFromKafkaIntoJetStreamOnceEachInPerKeyOrderAcrossASigkill() throws Exception {
        String source = id + "-src";
        kafka.broker.createTopic(source, 4);
        String stream = "DST_" + id.replace('-', '_');
        nats.createStream(stream, "dst." + id + ".>");
        kafka.publishKeyed(source, RECORDS, KEYS);
        DaemonConfig config = config("""
                  - name: k2js
                    from: { connection: kafka, topic: "%s" }
                    to: { connection: js, subject: "dst.%s.events" }
                    key: native
                    resume: store
                    lanes: 32
                """.formatted(source, id));

        try (DaemonProcess first = config.run()) {
            first.awaitReady(Duration.ofSeconds(60));
            first.await("a third of the records copied", DELIVERY, () -> nats.count(stream) >= RECORDS / 3);
            first.kill();
        }
        long atKill = nats.count(stream);
        assertThat(atKill).as("records copied when killed").isLessThan(RECORDS);
        try (DaemonProcess second = config.run()) {
            second.awaitReady(Duration.ofSeconds(60));
            try {
                second.await("all records in JetStream", DELIVERY, () -> nats.count(stream) >= RECORDS);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nKafka's end offsets: " + kafka.endOffsets(source), e);
            }
            await("no duplicate arrives late").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                    .until(() -> nats.count(stream) == RECORDS);
            assertThat(second.terminate(Duration.ofSeconds(60))).isZero();
        }
        List<Message> messages = nats.readAll(stream);
        Map<String, Integer> perKey = JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(messages);
        assertThat(perKey).hasSize(KEYS);
        assertThat(perKey.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(RECORDS);
        assertThat(messages.get(0).getHeaders().getFirst("Bridge-Kafka-Offset")).isNotNull();
    }

    @Test
    void copiesAHundredThousandRecordsFromJetStreamIntoKafkaLosingNothingAcrossASigkill() throws Exception {
        String stream = "SRC_" + id.replace('-', '_');
        nats.createStream(stream, "src." + id + ".>");
        nats.publishKeyed("src." + id + ".events", RECORDS, KEYS);
        String target = id + "-copy";
        kafka.broker.createTopic(target, 4);
        KafkaRecords.Collector collector = kafka.collect(target);
        DaemonConfig config = config("""
                  - name: js2k
                    from: { connection: js, stream: %s, durable: js2k }
                    to: { connection: kafka, topic: "%s", compression: lz4 }
                    key: native
                    resume: store
                    lanes: 32
                """.formatted(stream, target));

        try (DaemonProcess first = config.run()) {
            first.awaitReady(Duration.ofSeconds(60));
            first.await("a third of the records copied", DELIVERY, () -> collector.count() >= RECORDS / 3);
            first.kill();
        }
        assertThat(collector.count()).as("records copied when killed").isLessThan(RECORDS);
        try (DaemonProcess second = config.run()) {
            second.awaitReady(Duration.ofSeconds(60));
            second.await("every record in Kafka", DELIVERY, () -> distinct(collector) >= RECORDS);
            assertThat(second.terminate(Duration.ofSeconds(60))).isZero();
        }
        List<ConsumerRecord<byte[], byte[]>> records = collector.records();
        Map<String, Integer> perKey = KafkaRecords.assertNothingLostLastCopiesInOrder(records);
        assertThat(perKey).hasSize(KEYS);
        assertThat(perKey.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(RECORDS);
        int duplicates = records.size() - RECORDS;
        System.out.printf("JetStream -> Kafka across a SIGKILL: %d records written, %d of them again (the replay after "
                + "the last commit, at most the records in flight and since the last commit)%n", records.size(), duplicates);
        assertThat(duplicates).as("records written twice").isBetween(0, 20_000);
    }

    private static long distinct(KafkaRecords.Collector collector) {
        return collector.records().stream().map(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).distinct().count();
    }
}
