package io.msgbridge.system.pulsar;

import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;

import io.msgbridge.pulsar.PulsarTestBroker;
import io.msgbridge.testing.KeyedRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker stopped for 20 s while Pulsar → Pulsar copies: the pipeline reports not-ready, resumes
 * when the broker is back, and loses nothing.
 */
class PulsarOutageTest {
    private static final int BEFORE = 8000;
    private static final int AFTER = 2000;
    private static final int KEYS = 100;

    @TempDir
    Path dir;

    private final String id = PulsarRecords.uniqueName("outage");
    private PulsarTestBroker broker;
    private PulsarRecords pulsar;

    @BeforeEach
    void setUp() throws Exception {
        broker = PulsarTestBroker.shared();
        pulsar = new PulsarRecords(broker);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (!broker.running()) {
            broker.start();
        }
        pulsar.close();
    }

    @Test
    void reportsNotReadyWhileTheBrokerIsDownThenResumesAndLosesNothing() throws Exception {
        String source = PulsarRecords.topic(id + "-src");
        String target = PulsarRecords.topic(id + "-dst");
        PulsarRecords.Collector collector = pulsar.collect(target);
        DaemonConfig config = DaemonConfig.offsetFile(dir, """
                connections:
                  pulsar: { type: pulsar, service-url: "%s", operation-timeout: 5s, auth: { token: "%s" } }
                pipelines:
                  - name: outage
                    from: { connection: pulsar, topic: "%s" }
                    to: { connection: pulsar, topic: "%s", send-timeout: 5s }
                    key: native
                    resume: store
                    lanes: 8
                    max-in-flight: { records: 200 }
                """.formatted(broker.serviceUrl(), broker.adminToken(), source, target));

        try (DaemonProcess daemon = config.run()) {
            daemon.awaitReady(Duration.ofSeconds(60));
            pulsar.publishKeyed(source, BEFORE, KEYS);
            await("copying has begun").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> collector.count() > 0);
            broker.stop();
            await("not ready while the broker is down").atMost(Duration.ofSeconds(30))
                    .until(() -> daemon.get("/health/ready").statusCode() == 503);
            await("stays not ready for the 20 s the broker is down").during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(25))
                    .until(() -> daemon.get("/health/ready").statusCode() == 503);
            broker.start();
            daemon.awaitReady(Duration.ofSeconds(90));
            pulsar.publishKeyed(source, AFTER, KEYS, BEFORE / KEYS);
            await("every record copied").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> distinct(collector) == BEFORE + AFTER);
            assertThat(daemon.output()).contains("outage");
            assertThat(daemon.terminate(Duration.ofSeconds(30))).isZero();
        }
        Map<String, Integer> perKey = KeyedRecords.assertNothingLostPerKeyOrdered(PulsarRecords.bodies(collector.messages()));
        assertThat(perKey.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(BEFORE + AFTER);
    }

    private static long distinct(PulsarRecords.Collector collector) {
        return PulsarRecords.bodies(collector.messages()).stream().distinct().count();
    }
}
