package io.msgbridge.system.deadletter;

import io.msgbridge.nats.NatsTestServer;
import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import io.msgbridge.system.JetStreamFixture;
import io.msgbridge.testing.TcpProxy;
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

    private NatsTestServer server;
    private TcpProxy slowLink;
    private JetStreamFixture nats;
    private DaemonConfig config;

    @BeforeEach
    void setUp() throws Exception {
        server = NatsTestServer.start();
        slowLink = TcpProxy.delaying(server.port(), Duration.ofMillis(10));
        nats = new JetStreamFixture(server.url());
        nats.createStream("SRC", "src.>");
        nats.createStream("DST", "dst.>", 256);
        nats.createStream("DLQ", "dlq.>");
        config = DaemonConfig.postgres(dir, "dlqr", """
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
                """.formatted(server.url(), "nats://127.0.0.1:" + slowLink.port()));
    }

    @AfterEach
    void tearDown() throws Exception {
        nats.close();
        slowLink.close();
        server.close();
        config.close();
    }

    @Test
    void replaysEveryDeadLetterExactlyOnceInPerKeyOrderAcrossASigkill() throws Exception {
        nats.publishKeyed("src.events", RECORDS, KEYS, PADDING);
        try (DaemonProcess daemon = config.run()) {
            await("every record dead-lettered and committed").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200)).failFast(daemon::assertAlive)
                    .until(() -> nats.count("DLQ") == RECORDS && config.committed("copy") == RECORDS);
        }
        assertThat(nats.count("DST")).isZero();

        DaemonProcess list = DaemonProcess.spawn(dir, "dlq", "list", config.path(), "--pipeline", "copy", "--key", "key-3");
        assertThat(list.waitFor(Duration.ofSeconds(60))).as(list.output()).isZero();
        assertThat(list.output()).contains(RECORDS / KEYS + " dead letters of pipeline copy (key=key-3)")
                .contains("PermanentException");
        assertThat(nats.count("DLQ")).as("listing consumes nothing").isEqualTo(RECORDS);

        nats.unlimit("DST");
        try (DaemonProcess first = DaemonProcess.spawn(dir, "dlq", "replay", config.path(), "--pipeline", "copy")) {
            await("a part of the replay at the sink").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .failFast(first::assertAlive)
                    .until(() -> nats.count("DST") >= RECORDS / 4);
            first.kill();
        }
        long atKill = nats.count("DST");
        assertThat(atKill).as("records at the sink when the replay was killed").isLessThan(RECORDS);

        DaemonProcess second = DaemonProcess.spawn(dir, "dlq", "replay", config.path(), "--pipeline", "copy");
        assertThat(second.waitFor(Duration.ofSeconds(120))).as(second.output()).isZero();
        assertThat(second.output()).contains("copy~replay: replayed").contains("; complete");

        assertThat(nats.count("DST")).as("records at the sink (killed at %d)", atKill).isEqualTo(RECORDS);
        Map<String, Integer> perKey = JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(nats.readAll("DST"));
        assertThat(perKey).hasSize(KEYS).allSatisfy((key, count) -> assertThat(count).isEqualTo(RECORDS / KEYS));
        assertThat(nats.count("DLQ")).as("nothing failed again").isEqualTo(RECORDS);
    }
}
