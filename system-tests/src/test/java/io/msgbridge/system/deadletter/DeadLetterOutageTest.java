package io.msgbridge.system.deadletter;

import io.msgbridge.nats.NatsTestServer;
import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import io.msgbridge.system.JetStreamFixture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A dead-letter route that cannot take a record stops the pipeline where it is: nothing is committed
 * past the poison record, the daemon reports not ready and why, and once the route is back the record
 * is dead-lettered and everything after it delivered and committed.
 */
class DeadLetterOutageTest {
    private static final int BEFORE = 200;
    private static final int AFTER = 200;

    @TempDir
    Path dir;

    private NatsTestServer server;
    private NatsTestServer deadLetterServer;
    private JetStreamFixture nats;
    private JetStreamFixture deadLetters;
    private DaemonConfig config;

    @BeforeEach
    void setUp() throws Exception {
        server = NatsTestServer.start();
        deadLetterServer = NatsTestServer.start();
        nats = new JetStreamFixture(server.url());
        nats.createStream("SRC", "src.>");
        nats.createStream("DST", "dst.>");
        deadLetters = new JetStreamFixture(deadLetterServer.url());
        deadLetters.createStream("DLQ", "dlq.>");
        config = DaemonConfig.postgres(dir, "dlqo", """
                connections:
                  s: { type: nats, servers: [%s] }
                  dl: { type: nats, servers: [%s], reconnect-wait: 500ms }
                pipelines:
                  - name: held
                    from: { connection: s, stream: SRC }
                    to: { connection: s, subject: "dst.{subject}" }
                    dead-letter: { connection: dl, subject: dlq.held, ack-timeout: 1s }
                    key: json:/k
                    retry: { attempts: 2, backoff: 50ms..1s }
                """.formatted(server.url(), deadLetterServer.url()));
    }

    @AfterEach
    void tearDown() throws Exception {
        nats.close();
        deadLetters.close();
        server.close();
        deadLetterServer.close();
        config.close();
    }

    @Test
    void stopsMovingWithoutCommittingPastARecordTheDeadLetterRouteCannotTakeAndResumesWhenItIsBack() throws Exception {
        try (DaemonProcess daemon = config.run()) {
            daemon.awaitReady(Duration.ofSeconds(60));
            deadLetterServer.stop();
            nats.publishKeyed("src.events", BEFORE, 8);
            long poison = nats.publish("src.events", null, "not json");
            nats.publishKeyed("src.events", AFTER, 8);

            await("everything before the poison record committed").atMost(Duration.ofSeconds(30))
                    .until(() -> config.committed("held") == poison - 1);
            await("held at the poison record: not ready, nothing committed past it").during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                    .until(() -> config.committed("held") == poison - 1
                            && daemon.get("/health/ready").statusCode() == 503);
            assertThat(daemon.get("/health/ready").body()).contains("\"held\"").contains("SRC@" + poison);

            deadLetterServer.restart();
            await("the poison record dead-lettered once the route is back").atMost(Duration.ofSeconds(60))
                    .until(() -> deadLetters.count("DLQ") == 1);
            assertThat(deadLetters.readAll("DLQ").getFirst().getHeaders().getFirst("bridge.error.position"))
                    .isEqualTo(Long.toString(poison));
            await("every other record at the sink").atMost(Duration.ofSeconds(30))
                    .until(() -> nats.count("DST") == BEFORE + AFTER);
            await("committed to the end").atMost(Duration.ofSeconds(30))
                    .until(() -> config.committed("held") == BEFORE + AFTER + 1);
            await("ready again").atMost(Duration.ofSeconds(20))
                    .until(() -> daemon.get("/health/ready").statusCode() == 200);
        }
        JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(nats.readAll("DST"));
    }
}
