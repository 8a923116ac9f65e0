package io.msgbridge.system.pulsar;

import io.msgbridge.pulsar.PulsarTestBroker;
import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import io.msgbridge.system.JetStreamFixture;
import org.apache.pulsar.client.api.Message;
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
 * Effectively-once at full speed with one key: JetStream → Pulsar with {@code dedup: true}, every record
 * of the stream under one key (the case where order used to mean one record at a time), SIGKILLed twice
 * mid-run and restarted. Every record arrives, in order, and none twice: the records in flight when the
 * daemon died are replayed with their sequence ids and dropped by the broker.
 */
class JetStreamToPulsarOneKeyCrashTest {
    private static final int RECORDS = 100_000;
    private static final Duration DELIVERY = Duration.ofMinutes(4);

    @TempDir
    Path dir;

    private final String id = PulsarRecords.uniqueName("js2p1k");
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

    @Test
    void everyRecordOfOneKeyArrivesOnceInOrderAcrossTwoSigkills() throws Exception {
        String stream = "SRC_" + id.replace('-', '_');
        nats.createStream(stream, "src." + id + ".>");
        nats.publishKeyed("src." + id + ".events", RECORDS, 1);
        String target = PulsarRecords.topic(id);
        PulsarRecords.Collector collector = pulsar.collect(target);
        DaemonConfig config = DaemonConfig.offsetFile(dir, """
                shutdown-timeout: 20s
                connections:
                  pulsar: %s
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: onekey
                    from: { connection: js, stream: %s, durable: onekey }
                    to: { connection: pulsar, topic: "%s", dedup: true }
                    key: native
                    resume: store
                """.formatted(pulsar.connection(), JetStreamFixture.URL, stream, target));

        int killedAt = 0;
        for (int kill = 1; kill <= 2; kill++) {
            int before = killedAt;
            try (DaemonProcess daemon = config.run()) {
                daemon.awaitReady(Duration.ofSeconds(60));
                daemon.await("records copied before kill " + kill, DELIVERY, () -> collector.count() >= before + RECORDS / 4);
                daemon.kill();
            }
            killedAt = collector.count();
            assertThat(killedAt).as("records at the sink at kill %d", kill).isLessThan(RECORDS);
        }
        try (DaemonProcess daemon = config.run()) {
            daemon.awaitReady(Duration.ofSeconds(60));
            daemon.await("all records copied", DELIVERY, () -> collector.count() >= RECORDS);
            await("no duplicate arrives late").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> collector.count() == RECORDS);
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
        }
        List<Message<byte[]>> messages = collector.messages();
        Map<String, Integer> perKey = PulsarRecords.assertPerKeyOrderWithoutGapsOrDuplicates(messages);
        assertThat(perKey).containsExactly(Map.entry("key-0", RECORDS));
    }
}
