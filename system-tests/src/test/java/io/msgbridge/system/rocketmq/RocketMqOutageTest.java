package io.msgbridge.system.rocketmq;

import io.msgbridge.rocketmq.RocketMqTestBroker;
import io.msgbridge.rocketmq.RocketMqTestClient;
import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import io.msgbridge.testing.KeyedRecords;
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
 * The broker stopped for 20 s while RocketMQ → RocketMQ copies: the pipeline reports not-ready, resumes
 * when the broker is back, and loses nothing.
 */
class RocketMqOutageTest {
    private static final int BEFORE = 8000;
    private static final int AFTER = 2000;
    private static final int KEYS = 100;

    @TempDir
    Path dir;

    private final String id = RocketMqTestClient.uniqueTopic("outage");
    private RocketMqTestBroker broker;
    private RocketMqTestClient rocketmq;
    private RocketMqTestClient.Collector collector;

    @BeforeEach
    void setUp() throws Exception {
        broker = RocketMqTestBroker.shared();
        rocketmq = new RocketMqTestClient(broker);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (!broker.running()) {
            broker.start();
        }
        if (collector != null) {
            collector.close();
        }
        rocketmq.close();
    }

    @Test
    void reportsNotReadyWhileTheBrokerIsDownThenResumesAndLosesNothing() throws Exception {
        String source = id + "-src";
        String target = id + "-dst";
        rocketmq.createTopic(source);
        rocketmq.createTopic(target);
        collector = rocketmq.collect(target);
        DaemonConfig config = DaemonConfig.offsetFile(dir, """
                connections:
                  rmq: %s
                pipelines:
                  - name: outage
                    from: { connection: rmq, topic: %s }
                    to: { connection: rmq, topic: %s, send-timeout: 2s }
                    key: native
                    resume: store
                    lanes: 8
                    max-in-flight: { records: 200 }
                """.formatted(broker.connection(), source, target));

        try (DaemonProcess daemon = config.run()) {
            daemon.awaitReady(Duration.ofSeconds(60));
            rocketmq.publishKeyed(source, BEFORE, KEYS, 0);
            await("copying has begun").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> collector.count() > 0);
            broker.stop();
            await("not ready while the broker is down").atMost(Duration.ofSeconds(30))
                    .until(() -> daemon.get("/health/ready").statusCode() == 503);
            await("stays not ready for the 20 s the broker is down").during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(25))
                    .until(() -> daemon.get("/health/ready").statusCode() == 503);
            broker.start();
            daemon.awaitReady(Duration.ofSeconds(90));
            rocketmq.publishKeyed(source, AFTER, KEYS, BEFORE / KEYS);
            daemon.await("every record copied", Duration.ofSeconds(120), () -> collector.distinctBodies() == BEFORE + AFTER);
            assertThat(daemon.terminate(Duration.ofSeconds(30))).isZero();
        }
        List<String> bodies = RocketMqTestClient.byQueue(collector.messages()).values().stream()
                .flatMap(queue -> queue.stream().map(RocketMqTestClient::body)).toList();
        Map<String, Integer> next = KeyedRecords.assertNothingLostPerKeyOrdered(bodies);
        assertThat(next.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(BEFORE + AFTER);
    }
}
