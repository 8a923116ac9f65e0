package io.msgbridge.system.kafka;

import io.msgbridge.kafka.KafkaTestBroker;
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
import static org.awaitility.Awaitility.await;

/**
 * The Kafka broker stopped for 20 s while Kafka → JetStream copies: the pipeline reports not ready and
 * logs the loss once (not the client's line per attempt), resumes when the broker is back, and loses nothing.
 */
class KafkaOutageTest {
    private static final int BEFORE = 20_000;
    private static final int AFTER = 2000;
    private static final int KEYS = 100;

    @TempDir
    Path dir;

    private final String id = KafkaRecords.uniqueName("outage");
    private KafkaTestBroker broker;
    private KafkaRecords kafka;
    private JetStreamFixture nats;

    @BeforeEach
    void setUp() throws Exception {
        broker = KafkaTestBroker.shared();
        kafka = new KafkaRecords(broker);
        nats = new JetStreamFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (!broker.running()) {
            broker.start();
        }
        kafka.close();
        nats.close();
    }

    @Test
    void reportsNotReadyWhileTheBrokerIsDownThenResumesAndLosesNothing() throws Exception {
        String source = id + "-src";
        broker.createTopic(source, 2);
        String stream = "DST_" + id.replace('-', '_');
        nats.createStream(stream, "dst." + id + ".>");
        kafka.publishKeyed(source, BEFORE, KEYS);
        DaemonConfig config = DaemonConfig.offsetFile(dir, """
                connections:
                  kafka: { type: kafka, bootstrap-servers: "%s", request-timeout: 3s }
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: outage
                    from: { connection: kafka, topic: "%s" }
                    to: { connection: js, subject: "dst.%s.events" }
                    key: native
                    resume: store
                    lanes: 8
                    max-in-flight: { records: 200 }
                """.formatted(broker.bootstrap(), JetStreamFixture.URL, source, id));

        try (DaemonProcess daemon = config.run()) {
            daemon.awaitReady(Duration.ofSeconds(60));
            daemon.await("copying has begun", Duration.ofSeconds(60), () -> nats.count(stream) > 0);
            broker.stop();
            long atStop = nats.count(stream);
            await("not ready while the broker is down").atMost(Duration.ofSeconds(30))
                    .until(() -> daemon.get("/health/ready").statusCode() == 503);
            await("stays not ready for the 20 s the broker is down").during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(25))
                    .until(() -> daemon.get("/health/ready").statusCode() == 503);
            assertThat(atStop).as("records copied when the broker stopped").isLessThan(BEFORE);
            broker.start();
            daemon.awaitReady(Duration.ofSeconds(90));
            kafka.publishKeyed(source, AFTER, KEYS, BEFORE / KEYS);
            daemon.await("every record copied", Duration.ofMinutes(2), () -> nats.count(stream) >= BEFORE + AFTER);
            assertThat(daemon.terminate(Duration.ofSeconds(30))).isZero();
            String log = daemon.output();
            assertThat(log.lines().filter(l -> l.contains("no connection to any broker (")))
                    .as("the lost broker is one line of the pipeline's").hasSize(1)
                    .allSatisfy(l -> assertThat(l).contains("[outage]").contains(broker.bootstrap()));
            assertThat(log).as("and so is its return").contains("connected to the brokers again after");
            assertThat(log).as("the client's line per failed attempt is not logged")
                    .doesNotContain("could not be established");
        }
        List<Message> messages = nats.readAll(stream);
        Map<String, Integer> perKey = JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(messages);
        assertThat(perKey.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(BEFORE + AFTER);
    }
}
