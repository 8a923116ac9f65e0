package io.msgbridge.system.deadletter;

import io.msgbridge.nats.NatsTestServer;
import io.msgbridge.system.DaemonProcess;

import io.msgbridge.testing.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

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

    private final String schema = "dlqo_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private NatsTestServer server;
    private NatsTestServer deadLetterServer;
    private Streams nats;
    private Path config;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        server = NatsTestServer.start();
        deadLetterServer = NatsTestServer.start();
        nats = new Streams(server.url());
        nats.create("SRC", "src.>", 0);
        nats.create("DST", "dst.>", 0);
        try (Streams dlq = new Streams(deadLetterServer.url())) {
            dlq.create("DLQ", "dlq.>", 0);
        }
        port = Ports.free();
        config = dir.resolve("bridge.yaml");
        Files.writeString(config, """
                offsets:
                  postgres: { url: %s, user: postgres, schema: %s }
                  commit-interval: 200ms
                http: { listen: 127.0.0.1:%d }
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
                """.formatted(Postgres.URL, schema, port, server.url(), deadLetterServer.url()));
    }

    @AfterEach
    void tearDown() throws Exception {
        nats.close();
        server.close();
        deadLetterServer.close();
        Postgres.dropSchema(schema);
    }

    @Test
    void stopsMovingWithoutCommittingPastARecordTheDeadLetterRouteCannotTakeAndResumesWhenItIsBack() throws Exception {
        try (BridgeProcess daemon = BridgeProcess.start(dir, "run", config.toString())) {
            await("daemon ready").atMost(Duration.ofSeconds(60)).failFast(daemon::assertAlive)
                    .until(() -> BridgeProcess.status(port, "/health/ready") == 200);
            deadLetterServer.stop();
            nats.publishKeyed("src.events", BEFORE, 8, "");
            long poison = nats.publish("src.events", null, "not json");
            nats.publishKeyed("src.events", AFTER, 8, "");

            await("everything before the poison record committed").atMost(Duration.ofSeconds(30))
                    .until(() -> Postgres.committed(schema, "held") == poison - 1);
            await("held at the poison record: not ready, nothing committed past it").during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                    .until(() -> Postgres.committed(schema, "held") == poison - 1
                            && BridgeProcess.status(port, "/health/ready") == 503);
            assertThat(BridgeProcess.get(port, "/health/ready").body()).contains("\"held\"").contains("SRC@" + poison);

            deadLetterServer.restart();
            try (Streams dlq = new Streams(deadLetterServer.url())) {
                await("the poison record dead-lettered once the route is back").atMost(Duration.ofSeconds(60))
                        .until(() -> dlq.count("DLQ") == 1);
                assertThat(dlq.readAll("DLQ").getFirst().getHeaders().getFirst("bridge.error.position"))
                        .isEqualTo(Long.toString(poison));
            }
            await("every other record at the sink").atMost(Duration.ofSeconds(30))
                    .until(() -> nats.count("DST") == BEFORE + AFTER);
            await("committed to the end").atMost(Duration.ofSeconds(30))
                    .until(() -> Postgres.committed(schema, "held") == BEFORE + AFTER + 1);
            await("ready again").atMost(Duration.ofSeconds(20))
                    .until(() -> BridgeProcess.status(port, "/health/ready") == 200);
        }
        Streams.assertPerKeyOrder(nats.readAll("DST"));
    }
}
