package io.msgbridge.system.pulsar;

import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import io.msgbridge.system.JetStreamFixture;

import io.msgbridge.pulsar.PulsarTestBroker;
import io.nats.client.Message;
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

/** Pulsar → JetStream and JetStream → Pulsar through the daemon: 100,000 records over 128 keys, in per-key order. */
class PulsarJetStreamTest {
    private static final int RECORDS = 100_000;
    private static final int KEYS = 128;
    private static final Duration DELIVERY = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    private final String id = PulsarRecords.uniqueName("pjs");
    private PulsarRecords pulsar;
    private JetStreamFixture nats;

    @BeforeEach
    void setUp() throws Exception {
        pulsar = new PulsarRecords(PulsarTestBroker.shared());
        nats = new JetStreamFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        pulsar.close();
        nats.close();
    }

    private DaemonConfig config(String pipeline) throws Exception {
        return DaemonConfig.offsetFile(dir, """
                shutdown-timeout: 20s
                connections:
                  pulsar: %s
                  js: { type: nats, servers: [%s] }
                pipelines:
                %s
                """.formatted(pulsar.connection(), JetStreamFixture.URL, pipeline));
    }

    @Test
    void copiesAHundredThousandRecordsFromAPartitionedPulsarTopicIntoJetStreamInPerKeyOrder() throws Exception {
        String source = PulsarRecords.topic(id);
        pulsar.broker.createPartitionedTopic(id, 4);
        String stream = "DST_" + id.replace('-', '_');
        nats.createStream(stream, "dst." + id + ".>");
        pulsar.publishKeyed(source, RECORDS, KEYS);
        DaemonConfig config = config("""
                  - name: p2js
                    from: { connection: pulsar, topic: "%s", subscription-type: failover }
                    to: { connection: js, subject: "dst.%s.events" }
                    key: native
                    lanes: 32
                """.formatted(source, id));

        try (DaemonProcess daemon = config.run()) {
            daemon.awaitReady(Duration.ofSeconds(60));
            await("all records in JetStream").atMost(DELIVERY).pollInterval(Duration.ofMillis(500))
                    .until(() -> nats.count(stream) >= RECORDS);
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
        }
        List<Message> messages = nats.readAll(stream);
        Map<String, Integer> perKey = JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(messages);
        assertThat(perKey).hasSize(KEYS);
        assertThat(perKey.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(RECORDS);
    }

    @Test
    void copiesAHundredThousandRecordsFromJetStreamIntoPulsarInPerKeyOrder() throws Exception {
        String stream = "SRC_" + id.replace('-', '_');
        nats.createStream(stream, "src." + id + ".>");
        nats.publishKeyed("src." + id + ".events", RECORDS, KEYS);
        String target = PulsarRecords.topic(id + "-copy");
        PulsarRecords.Collector collector = pulsar.collect(target);
        DaemonConfig config = config("""
                  - name: js2p
                    from: { connection: js, stream: %s, durable: js2p }
                    to: { connection: pulsar, topic: "%s", compression: lz4 }
                    key: native
                    lanes: 32
                """.formatted(stream, target));

        try (DaemonProcess daemon = config.run()) {
            daemon.awaitReady(Duration.ofSeconds(60));
            await("all records in Pulsar").atMost(DELIVERY).pollInterval(Duration.ofMillis(500))
                    .until(() -> collector.count() >= RECORDS);
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
        }
        List<org.apache.pulsar.client.api.Message<byte[]>> messages = collector.messages();
        Map<String, Integer> perKey = PulsarRecords.assertPerKeyOrderWithoutGapsOrDuplicates(messages);
        assertThat(perKey).hasSize(KEYS);
        assertThat(messages).hasSize(RECORDS);
        assertThat(messages.get(0).getProperty("Sharding-Key")).isEqualTo(messages.get(0).getKey());
    }
}
