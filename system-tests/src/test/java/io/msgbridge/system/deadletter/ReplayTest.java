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
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A run dead-letters 1,000 records (each too large for the sink stream); {@code dlq list} shows them
 * without consuming them; the stream's limit is lifted; a {@code dlq replay} is SIGKILLed halfway and
 * run again: every record reaches the sink exactly once, in per-key order.
 */
class ReplayTest {
    private static final int RECORDS = 1000;
    private static final int KEYS = 8;
    private static final String PADDING = ",\"pad\":\"" + "x".repeat(300) + "\"";

    @TempDir
    Path dir;

    private final String schema = "dlqr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private NatsTestServer server;
    private DelayingProxy slowLink;
    private Streams nats;
    private Path config;

    @BeforeEach
    void setUp() throws Exception {
        server = NatsTestServer.start();
        slowLink = new DelayingProxy(server.port(), Duration.ofMillis(10));
        nats = new Streams(server.url());
        nats.create("SRC", "src.>", 0);
        nats.create("DST", "dst.>", 256);
        nats.create("DLQ", "dlq.>", 0);
        config = dir.resolve("bridge.yaml");
        Files.writeString(config, """
                offsets:
                  postgres: { url: %s, user: postgres, schema: %s }
                  commit-interval: 200ms
                http: { listen: 127.0.0.1:%d }
                shutdown-timeout: 5s
                connections:
                  js: { type: nats, servers: [%s] }
                  slow: { type: nats, servers: [%s] }
                pipelines:
                  - name: copy
                    from: { connection: js, stream: SRC }
                    to: { connection: slow, subject: "dst.{subject}" }
                    dead-letter: { connection: js, subject: dlq.copy }
                    key: native
                    lanes: 8
                """.formatted(Postgres.URL, schema, Ports.free(), server.url(), slowLink.url()));
    }

    @AfterEach
    void tearDown() throws Exception {
        nats.close();
        slowLink.close();
        server.close();
        Postgres.dropSchema(schema);
    }

    @Test
    void replaysEveryDeadLetterExactlyOnceInPerKeyOrderAcrossASigkill() throws Exception {
        nats.publishKeyed("src.events", RECORDS, KEYS, PADDING);
        try (BridgeProcess daemon = BridgeProcess.start(dir, "run", config.toString())) {
            await("every record dead-lettered and committed").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200)).failFast(daemon::assertAlive)
                    .until(() -> nats.count("DLQ") == RECORDS && Postgres.committed(schema, "copy") == RECORDS);
        }
        assertThat(nats.count("DST")).isZero();

        BridgeProcess list = BridgeProcess.start(dir, "dlq", "list", config.toString(), "--pipeline", "copy", "--key", "key-3");
        assertThat(list.waitFor(Duration.ofSeconds(60))).as(list.output()).isZero();
        assertThat(list.output()).contains(RECORDS / KEYS + " dead letters of pipeline copy (key=key-3)")
                .contains("PermanentException");
        assertThat(nats.count("DLQ")).as("listing consumes nothing").isEqualTo(RECORDS);

        nats.unlimit("DST");
        try (BridgeProcess first = BridgeProcess.start(dir, "dlq", "replay", config.toString(), "--pipeline", "copy")) {
            await("a part of the replay at the sink").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .failFast(first::assertAlive)
                    .until(() -> nats.count("DST") >= RECORDS / 4);
            first.kill();
        }
        long atKill = nats.count("DST");
        assertThat(atKill).as("records at the sink when the replay was killed").isLessThan(RECORDS);

        BridgeProcess second = BridgeProcess.start(dir, "dlq", "replay", config.toString(), "--pipeline", "copy");
        assertThat(second.waitFor(Duration.ofSeconds(120))).as(second.output()).isZero();
        assertThat(second.output()).contains("copy~replay: replayed").contains("; complete");

        assertThat(nats.count("DST")).as("records at the sink (killed at %d)", atKill).isEqualTo(RECORDS);
        Map<String, Integer> perKey = Streams.assertPerKeyOrder(nats.readAll("DST"));
        assertThat(perKey).hasSize(KEYS).allSatisfy((key, count) -> assertThat(count).isEqualTo(RECORDS / KEYS));
        assertThat(nats.count("DLQ")).as("nothing failed again").isEqualTo(RECORDS);
    }
}
