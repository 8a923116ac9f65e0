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
 * A sink broker that is down is not a bad record: with the sink's nats-server stopped for 20 s in the
 * middle of a run, nothing is dead-lettered, and once it is back every record arrives, once, in
 * per-key order.
 */
class SinkOutageTest {
    private static final int HALF = 1500;
    private static final int KEYS = 16;

    @TempDir
    Path dir;

    private final String schema = "dlqs_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private NatsTestServer sourceServer;
    private NatsTestServer sinkServer;
    private Streams source;
    private Streams sink;
    private Path config;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        sourceServer = NatsTestServer.start();
        sinkServer = NatsTestServer.start();
        source = new Streams(sourceServer.url());
        sink = new Streams(sinkServer.url());
        source.create("SRC", "src.>", 0);
        source.create("DLQ", "dlq.>", 0);
        sink.create("DST", "dst.>", 0);
        port = Ports.free();
        config = dir.resolve("bridge.yaml");
        Files.writeString(config, """
                offsets:
                  postgres: { url: %s, user: postgres, schema: %s }
                  commit-interval: 200ms
                http: { listen: 127.0.0.1:%d }
                connections:
                  src: { type: nats, servers: [%s] }
                  dst: { type: nats, servers: [%s], reconnect-wait: 500ms }
                pipelines:
                  - name: outage
                    from: { connection: src, stream: SRC }
                    to: { connection: dst, subject: "dst.{subject}", ack-timeout: 1s }
                    dead-letter: { connection: src, subject: dlq.outage }
                    key: native
                    retry: { attempts: 2, backoff: 50ms..1s }
                """.formatted(Postgres.URL, schema, port, sourceServer.url(), sinkServer.url()));
    }

    @AfterEach
    void tearDown() throws Exception {
        source.close();
        sink.close();
        sourceServer.close();
        sinkServer.close();
        Postgres.dropSchema(schema);
    }

    @Test
    void deadLettersNothingWhileTheSinkBrokerIsDownAndDeliversEverythingOnceItIsBack() throws Exception {
        source.publishKeyed("src.events", HALF, KEYS, "");
        try (BridgeProcess daemon = BridgeProcess.start(dir, "run", config.toString())) {
            await("first half at the sink").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .failFast(daemon::assertAlive)
                    .until(() -> sink.count("DST") >= HALF / 2);
            sinkServer.stop();
            source.publishKeyed("src.events", HALF, KEYS, "");

            await("not ready while the sink broker is down").atMost(Duration.ofSeconds(10))
                    .until(() -> BridgeProcess.status(port, "/health/ready") == 503);
            await("nothing dead-lettered during a 20 s sink outage").during(Duration.ofSeconds(20))
                    .atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(500))
                    .until(() -> source.count("DLQ") == 0 && daemon.alive());
            assertThat(Postgres.committed(schema, "outage")).as("committed while the sink was down").isLessThan(2L * HALF);

            sinkServer.restart();
            Streams after = new Streams(sinkServer.url());
            try (after) {
                await("every record at the sink after it came back").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> after.count("DST") == 2L * HALF);
                await("commit of the last position").atMost(Duration.ofSeconds(20))
                        .until(() -> Postgres.committed(schema, "outage") == 2L * HALF);
                await("ready again").atMost(Duration.ofSeconds(20))
                        .until(() -> BridgeProcess.status(port, "/health/ready") == 200);
                assertThat(source.count("DLQ")).isZero();
                Map<String, Integer> perKey = Streams.assertPerKeyOrder(after.readAll("DST"));
                assertThat(perKey.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2 * HALF);
            }
        }
    }
}
