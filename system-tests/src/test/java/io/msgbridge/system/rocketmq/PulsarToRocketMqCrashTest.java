package io.msgbridge.system.rocketmq;

import io.msgbridge.pulsar.PulsarTestBroker;
import io.msgbridge.rocketmq.RocketMqTestBroker;
import io.msgbridge.rocketmq.RocketMqTestClient;
import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import io.msgbridge.system.pulsar.PulsarRecords;
import io.msgbridge.testing.KeyedRecords;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pulsar → RocketMQ through the daemon: 50,000 records over 100 keys, the daemon SIGKILLed mid-run and
 * started again. RocketMQ does not deduplicate, so what the second run sends again after the last commit
 * is stored twice (at-least-once); nothing is lost, every key's records are in one queue, and read in
 * queue order each key's records go forward, a replay only repeating a run of them.
 */
class PulsarToRocketMqCrashTest {
    private static final int RECORDS = 50_000;
    private static final int KEYS = 100;
    private static final Duration DELIVERY = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    private final String id = RocketMqTestClient.uniqueTopic("p2r");
    private PulsarRecords pulsar;
    private RocketMqTestClient rocketmq;
    private RocketMqTestClient.Collector collector;

    @BeforeEach
    void setUp() throws Exception {
        pulsar = new PulsarRecords(PulsarTestBroker.shared());
        rocketmq = new RocketMqTestClient(RocketMqTestBroker.shared());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (collector != null) {
            collector.close();
        }
        rocketmq.close();
        pulsar.close();
    }

    @Test
    void nothingIsLostAndEachKeyStaysInOrderInOneQueueAfterASigkillAndRestart() throws Exception {
        String source = "persistent://public/default/" + id;
        pulsar.publishKeyed(source, RECORDS, KEYS);
        rocketmq.createTopic(id);
        collector = rocketmq.collect(id);
        PulsarTestBroker broker = PulsarTestBroker.shared();
        DaemonConfig config = DaemonConfig.offsetFile(dir, """
                shutdown-timeout: 20s
                connections:
                  pulsar: { type: pulsar, service-url: "%s", auth: { token: "%s" } }
                  rmq: %s
                pipelines:
                  - name: p2rmq
                    from: { connection: pulsar, topic: "%s" }
                    to: { connection: rmq, topic: %s }
                    key: native
                    resume: store
                    lanes: 32
                """.formatted(broker.serviceUrl(), broker.adminToken(), RocketMqTestBroker.shared().connection(), source, id));

        try (DaemonProcess first = config.run()) {
            first.awaitReady(Duration.ofSeconds(60));
            first.await("a third of the records copied", DELIVERY, () -> collector.count() >= RECORDS / 3);
            first.kill();
        }
        int atKill = collector.count();
        assertThat(atKill).as("records copied when killed").isLessThan(RECORDS);
        try (DaemonProcess second = config.run()) {
            second.awaitReady(Duration.ofSeconds(60));
            second.await("every record copied", DELIVERY, () -> collector.distinctBodies() >= RECORDS);
            assertThat(second.terminate(Duration.ofSeconds(60))).isZero();
        }
        List<MessageExt> messages = collector.messages();
        Map<String, Integer> queueOfKey = new HashMap<>();
        for (Map.Entry<Integer, List<MessageExt>> queue : RocketMqTestClient.byQueue(messages).entrySet()) {
            List<String> bodies = new ArrayList<>();
            for (MessageExt m : queue.getValue()) {
                String key = m.getKeys();
                assertThat(queueOfKey.putIfAbsent(key, queue.getKey())).as("queue of %s", key).isIn(null, queue.getKey());
                assertThat(m.getUserProperty("SHARDING_KEY")).isEqualTo(key);
                bodies.add(RocketMqTestClient.body(m));
            }
            KeyedRecords.assertNothingLostPerKeyOrdered(bodies);
        }
        assertThat(queueOfKey).hasSize(KEYS);
        Set<String> distinct = new HashSet<>(messages.stream().map(RocketMqTestClient::body).toList());
        assertThat(distinct).hasSize(RECORDS);
        System.out.printf("Pulsar -> RocketMQ, SIGKILL after %d of %d records: %d stored, %d of them again%n",
                atKill, RECORDS, messages.size(), messages.size() - RECORDS);
    }
}
