package io.msgbridge.system.kafka;

import io.msgbridge.kafka.KafkaTestBroker;
import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import io.msgbridge.system.JetStreamFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SASL/PLAIN with a wrong password: its pipeline fails with an error that names the connection and the
 * user and never the password, while a pipeline on the right password keeps running.
 */
class KafkaAuthTest {
    private static final int RECORDS = 500;
    private static final String WRONG = "wrong-password-7c1f";

    @TempDir
    Path dir;

    private final String id = KafkaRecords.uniqueName("auth");
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

    @Test
    void aWrongPasswordFailsOnlyItsPipelineNamingTheConnectionAndNeverThePassword() throws Exception {
        kafka.broker.createTopic(id, 1);
        kafka.publishKeyed(id, RECORDS, 10);
        String stream = "DST_" + id.replace('-', '_');
        nats.createStream(stream, "dst." + id + ".>");
        Files.writeString(dir.resolve("good.password"), "alice-secret");
        Files.writeString(dir.resolve("wrong.password"), WRONG);
        DaemonConfig config = DaemonConfig.offsetFile(dir, """
                connections:
                  trusted: { type: kafka, bootstrap-servers: "%s", security: sasl_plaintext, sasl: { mechanism: plain, username: alice, password: "${file:good.password}" } }
                  intruder: { type: kafka, bootstrap-servers: "%s", security: sasl_plaintext, sasl: { mechanism: plain, username: alice, password: "${file:wrong.password}" } }
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: works
                    from: { connection: trusted, topic: "%s" }
                    to: { connection: js, subject: "dst.%s.works" }
                  - name: refused
                    from: { connection: intruder, topic: "%s" }
                    to: { connection: js, subject: "dst.%s.refused" }
                """.formatted(kafka.broker.saslBootstrap(), kafka.broker.saslBootstrap(), JetStreamFixture.URL, id, id, id, id));

        try (DaemonProcess daemon = config.run()) {
            await("the refused pipeline failed, naming its connection").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                        String status = daemon.get("/pipelines").body();
                        assertThat(status).contains("FAILED").contains("connection 'intruder'").contains("authentication refused");
                    });
            daemon.await("the other pipeline copies everything", Duration.ofSeconds(60), () -> nats.count(stream) >= RECORDS);
            assertThat(daemon.get("/health/ready").statusCode()).isEqualTo(503);
            assertThat(daemon.get("/pipelines").body()).doesNotContain(WRONG).doesNotContain("alice-secret");
            assertThat(daemon.terminate(Duration.ofSeconds(30))).isZero();
            assertThat(daemon.output()).contains("intruder").doesNotContain(WRONG).doesNotContain("alice-secret");
        }
        assertThat(nats.count(stream)).isEqualTo(RECORDS);
    }
}
