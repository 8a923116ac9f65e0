package io.msgbridge.system.rocketmq;

import io.msgbridge.rocketmq.RocketMqTestBroker;
import io.msgbridge.rocketmq.RocketMqTestClient;
import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import io.msgbridge.system.JetStreamFixture;
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

/**
 * RocketMQ → JetStream through the daemon with {@code key: native} (Coze's SHARDING_KEY) and
 * {@code resume: store}: 50,000 records over 100 keys, the daemon SIGKILLed mid-run and started again.
 * The JetStream sink's {@code Nats-Msg-Id} (pipeline/queue/offset) lets the stream drop what the second
 * run sends again, so every record arrives once, in per-key order, with its key.
 */
class RocketMqToJetStreamCrashTest {
    private static final int RECORDS = 50_000;
    private static final int KEYS = 100;
    private static final Duration DELIVERY = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    private final String id = RocketMqTestClient.uniqueTopic("rjs");
    private RocketMqTestClient rocketmq;
    private JetStreamFixture nats;

    @BeforeEach
    void setUp() throws Exception {
        rocketmq = new RocketMqTestClient(RocketMqTestBroker.shared());
        nats = new JetStreamFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        rocketmq.close();
        nats.close();
    }

    @Test
    void everyRecordArrivesOnceInPerKeyOrderAfterASigkillAndRestart() throws Exception {
        String stream = "DST_" + id.replace('-', '_');
        nats.createStream(stream, "dst." + id + ".>");
        rocketmq.publishKeyed(id, RECORDS, KEYS, 0);
        DaemonConfig config = DaemonConfig.offsetFile(dir, """
                shutdown-timeout: 20s
                connections:
                  rmq: %s
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: rmq2js
                    from: { connection: rmq, topic: %s, consumer-group: %s }
                    to: { connection: js, subject: "dst.%s.events" }
                    key: native
                    resume: store
                    lanes: 32
                """.formatted(RocketMqTestBroker.shared().connection(), JetStreamFixture.URL, id, id, id));

        try (DaemonProcess first = config.run()) {
            first.awaitReady(Duration.ofSeconds(60));
            first.await("a third of the records copied", DELIVERY, () -> nats.count(stream) >= RECORDS / 3);
            first.kill();
        }
        long atKill = nats.count(stream);
        assertThat(atKill).as("records copied when killed").isLessThan(RECORDS);
        try (DaemonProcess second = config.run()) {
            second.awaitReady(Duration.ofSeconds(60));
            second.await("all records copied", DELIVERY, () -> nats.count(stream) >= RECORDS);
            assertThat(second.terminate(Duration.ofSeconds(60))).isZero();
            assertThat(second.output()).doesNotContain(RocketMqTestBroker.SECRET_KEY);
        }
        List<Message> messages = nats.readAll(stream);
        assertThat(messages).as("records in the stream (replays dropped by Nats-Msg-Id)").hasSize(RECORDS);
        Map<String, Integer> perKey = JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(messages);
        assertThat(perKey).hasSize(KEYS);
        assertThat(messages.get(0).getHeaders().getFirst("Bridge-RocketMQ-Queue")).startsWith("broker-a/");
    }
}
