package io.msgbridge.system;

import io.msgbridge.nats.NatsTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JetStream → JetStream through the daemon, with the source's own nats-server restarted mid-run.
 * nats-server forgets waiting pull requests when it restarts; the source must ask again as soon as it
 * is reconnected, be reported not ready while it cannot pull, and lose nothing.
 */
class NatsSourceServerRestartTest {
    private static final int RECORDS = 100_000;
    private static final int KEYS = 16;
    private static final Duration DELIVERY = Duration.ofMinutes(4);

    @TempDir
    Path dir;

    private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final String source = "RSRC_" + id;
    private final String sink = "RDST_" + id;
    private NatsTestServer sourceServer;
    private JetStreamFixture sourceNats;
    private JetStreamFixture sinkNats;
    private DaemonConfig config;

    @BeforeEach
    void setUp() throws Exception {
        sourceServer = NatsTestServer.start();
        sourceNats = new JetStreamFixture(sourceServer.url());
        sourceNats.createStream(source, "src." + id + ".>");
        sourceNats.publishKeyed("src." + id + ".events", RECORDS, KEYS);
        sinkNats = new JetStreamFixture();
        sinkNats.createStream(sink, "dst." + id + ".>");
        config = DaemonConfig.offsetFile(dir, """
                connections:
                  from: { type: nats, servers: [%s], reconnect-wait: 250ms }
                  to: { type: nats, servers: [%s] }
                pipelines:
                  - name: restart
                    from: { connection: from, stream: %s, durable: restart }
                    to: { connection: to, subject: "dst.%s.{subject}" }
                    key: native
                """.formatted(sourceServer.url(), JetStreamFixture.URL, source, id));
    }

    @AfterEach
    void tearDown() throws Exception {
        sinkNats.close();
        sourceNats.close();
        sourceServer.close();
    }

    @Test
    void recordsFlowAgainWithinFiveSecondsOfTheSourceServerComingBackAndNothingIsLost() throws Exception {
        try (DaemonProcess daemon = config.run()) {
            daemon.awaitReady(Duration.ofSeconds(60));
            daemon.await("a tenth of the records at the sink", DELIVERY, () -> sinkNats.count(sink) >= RECORDS / 10);

            sourceServer.stop();
            daemon.await("the pipeline reported not ready while its source cannot pull", Duration.ofSeconds(15),
                    () -> daemon.get("/health/ready").statusCode() == 503);
            long beforeRestart = sinkNats.count(sink);
            assertThat(beforeRestart).as("records at the sink when the source's server went").isLessThan(RECORDS);

            sourceServer.restart();
            long back = System.nanoTime();
            daemon.await("records flowing again after the source's server came back", Duration.ofSeconds(30),
                    () -> sinkNats.count(sink) > beforeRestart);
            Duration flowing = Duration.ofNanos(System.nanoTime() - back);
            assertThat(flowing).as("time from the source's server accepting again to the next record at the sink")
                    .isLessThan(Duration.ofSeconds(5));

            daemon.await("all records at the sink", DELIVERY, () -> sinkNats.count(sink) == RECORDS);
            daemon.awaitReady(Duration.ofSeconds(30));
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
        }
        assertThat(sinkNats.count(sink)).as("records at the sink (copies dropped by Nats-Msg-Id)").isEqualTo(RECORDS);
        Map<String, Integer> perKey = JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(sinkNats.readAll(sink));
        assertThat(perKey).hasSize(KEYS);
    }
}
