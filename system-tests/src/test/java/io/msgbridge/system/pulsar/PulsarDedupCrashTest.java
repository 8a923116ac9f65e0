package io.msgbridge.system.pulsar;

import io.msgbridge.system.DaemonProcess;

import io.msgbridge.pulsar.PulsarTestBroker;
import io.msgbridge.testing.Ports;
import org.apache.pulsar.client.api.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Effectively-once: Pulsar → Pulsar with {@code dedup: true} on a broker with deduplication on,
 * {@code resume: store}. The daemon is SIGKILLed mid-run and restarted; every record arrives once,
 * in per-key order.
 */
class PulsarDedupCrashTest {
    private static final int RECORDS = 30_000;
    private static final int KEYS = 100;
    private static final Duration DELIVERY = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    private final String id = PulsarRecords.uniqueName("dedup");
    private PulsarRecords pulsar;

    @BeforeEach
    void setUp() throws Exception {
        pulsar = new PulsarRecords(PulsarTestBroker.shared());
    }

    @AfterEach
    void tearDown() throws Exception {
        pulsar.close();
    }

    @Test
    void everyRecordArrivesOnceInPerKeyOrderAfterASigkillAndRestart() throws Exception {
        String source = PulsarRecords.topic(id + "-src");
        String target = PulsarRecords.topic(id + "-dst");
        pulsar.broker.createPartitionedTopic(id + "-src", 2);
        pulsar.publishKeyed(source, RECORDS, KEYS);
        PulsarRecords.Collector collector = pulsar.collect(target);
        int port = Ports.free();
        Path config = dir.resolve("bridge.yaml");
        Files.writeString(config, """
                offsets:
                  file: { path: offsets.json }
                  commit-interval: 500ms
                http: { listen: 127.0.0.1:%d }
                connections:
                  pulsar: %s
                pipelines:
                  - name: dedup
                    from: { connection: pulsar, topic: "%s" }
                    to: { connection: pulsar, topic: "%s", dedup: true }
                    key: native
                    resume: store
                    lanes: 32
                """.formatted(port, pulsar.connection(), source, target));

        try (DaemonProcess first = DaemonProcess.run(config, port)) {
            first.awaitReady(Duration.ofSeconds(60));
            await("a third of the records copied").atMost(DELIVERY).pollInterval(Duration.ofMillis(50))
                    .until(() -> collector.count() >= RECORDS / 3);
            first.kill();
        }
        int atKill = collector.count();
        assertThat(atKill).as("records copied when killed").isLessThan(RECORDS);
        try (DaemonProcess second = DaemonProcess.run(config, port)) {
            second.awaitReady(Duration.ofSeconds(60));
            second.await("all records copied", DELIVERY, () -> collector.count() >= RECORDS);
            await("no duplicate arrives late").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> collector.count() == RECORDS);
            assertThat(second.terminate(Duration.ofSeconds(60))).isZero();
        }
        List<Message<byte[]>> messages = collector.messages();
        assertThat(messages).as("records at the sink (replays dropped by broker deduplication)").hasSize(RECORDS);
        Map<String, Integer> perKey = PulsarRecords.assertPerKeyOrderWithoutGapsOrDuplicates(messages);
        assertThat(perKey).hasSize(KEYS);
    }
}
