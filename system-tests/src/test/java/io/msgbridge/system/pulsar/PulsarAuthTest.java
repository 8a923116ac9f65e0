package io.msgbridge.system.pulsar;

import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;

import io.msgbridge.pulsar.PulsarTestBroker;
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
 * JWT auth on a broker with authentication and authorisation on: a valid token works; a wrong one
 * fails its pipeline with an error that names the connection and never the token, while the other
 * pipeline keeps running.
 */
class PulsarAuthTest {
    private static final int RECORDS = 1000;

    @TempDir
    Path dir;

    private final String id = PulsarRecords.uniqueName("auth");
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
    void aValidTokenWorksAndAWrongOneFailsOnlyItsPipelineWithoutShowingTheToken() throws Exception {
        String good = pulsar.broker.token("admin");
        String wrong = PulsarTestBroker.foreignToken("admin");
        Files.writeString(dir.resolve("good.token"), good + "\n");
        Files.writeString(dir.resolve("wrong.token"), wrong + "\n");
        String source = PulsarRecords.topic(id + "-src");
        String target = PulsarRecords.topic(id + "-dst");
        pulsar.publishKeyed(source, RECORDS, 10);
        PulsarRecords.Collector collector = pulsar.collect(target);
        DaemonConfig config = DaemonConfig.offsetFile(dir, """
                connections:
                  trusted: { type: pulsar, service-url: "%s", auth: { token: "${file:good.token}" } }
                  intruder: { type: pulsar, service-url: "%s", auth: { token-file: wrong.token } }
                pipelines:
                  - name: works
                    from: { connection: trusted, topic: "%s" }
                    to: { connection: trusted, topic: "%s" }
                  - name: refused
                    from: { connection: intruder, topic: "%s" }
                    to: { connection: trusted, topic: "%s-never" }
                """.formatted(pulsar.broker.serviceUrl(), pulsar.broker.serviceUrl(), source, target, source, target));

        try (DaemonProcess daemon = config.run()) {
            await("the refused pipeline failed, naming its connection").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                        String status = daemon.get("/pipelines").body();
                        assertThat(status).contains("FAILED").contains("connection 'intruder'").contains("authentication");
                    });
            await("the other pipeline copies everything").atMost(Duration.ofSeconds(60)).until(() -> collector.count() >= RECORDS);
            assertThat(daemon.get("/health/ready").statusCode()).isEqualTo(503);
            assertThat(daemon.get("/pipelines").body()).doesNotContain(good).doesNotContain(wrong);
            assertThat(daemon.terminate(Duration.ofSeconds(30))).isZero();
            assertThat(daemon.output()).contains("intruder").doesNotContain(good).doesNotContain(wrong);
        }
        assertThat(collector.count()).isEqualTo(RECORDS);
    }
}
