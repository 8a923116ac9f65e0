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
import java.util.Map;

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

    private NatsTestServer sourceServer;
    private NatsTestServer sinkServer;
    private JetStreamFixture source;
    private JetStreamFixture sink;
    private DaemonConfig config;

    @BeforeEach
    void setUp() throws Exception {
        sourceServer = NatsTestServer.start();
        sinkServer = NatsTestServer.start();
        source = new JetStreamFixture(sourceServer.url());
        sink = new JetStreamFixture(sinkServer.url());
        source.createStream("SRC", "src.>");
        source.createStream("DLQ", "dlq.>");
        sink.createStream("DST", "dst.>");
        config = DaemonConfig.postgres(dir, "dlqs", """
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
                """.formatted(sourceServer.url(), sinkServer.url()));
    }

    @AfterEach
    void tearDown() throws Exception {
        source.close();
        sink.close();
        sourceServer.close();
        sinkServer.close();
        config.close();
    }

    @Test
    void deadLettersNothingWhileTheSinkBrokerIsDownAndDeliversEverythingOnceItIsBack() throws Exception {
        source.publishKeyed("src.events", HALF, KEYS);
        try (DaemonProcess daemon = config.run()) {
            await("first half at the sink").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .failFast(daemon::assertAlive)
                    .until(() -> sink.count("DST") >= HALF / 2);
            sinkServer.stop();
            source.publishKeyed("src.events", HALF, KEYS);

            await("not ready while the sink broker is down").atMost(Duration.ofSeconds(10))
                    .until(() -> daemon.get("/health/ready").statusCode() == 503);
            await("nothing dead-lettered during a 20 s sink outage").during(Duration.ofSeconds(20))
                    .atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(500))
                    .until(() -> source.count("DLQ") == 0 && daemon.alive());
            assertThat(config.committed("outage")).as("committed while the sink was down").isLessThan(2L * HALF);

            sinkServer.restart();
            await("every record at the sink after it came back").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> sink.count("DST") == 2L * HALF);
            await("commit of the last position").atMost(Duration.ofSeconds(20))
                    .until(() -> config.committed("outage") == 2L * HALF);
            await("ready again").atMost(Duration.ofSeconds(20))
                    .until(() -> daemon.get("/health/ready").statusCode() == 200);
            assertThat(source.count("DLQ")).isZero();
            Map<String, Integer> perKey = JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(sink.readAll("DST"));
            assertThat(perKey.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2 * HALF);
        }
    }
}
