package io.msgbridge.system;

import io.msgbridge.testing.Postgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JetStream → JetStream through the daemon as a child process, with PostgreSQL offsets: everything
 * arrives in per-key order, also when all records share one key (pipelined at the sink), and neither
 * SIGKILL nor SIGTERM loses or duplicates a record.
 */
class JetStreamPipelineTest {
    private static final int RECORDS = 100_000;
    private static final int KEYS = 128;
    private static final Duration DELIVERY = Duration.ofMinutes(4);

    @TempDir
    Path dir;

    private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final String source = "SRC_" + id;
    private final String sink = "DST_" + id;
    private JetStreamFixture nats;
    private DaemonConfig config;

    @BeforeEach
    void setUp() throws Exception {
        nats = new JetStreamFixture();
        nats.createStream(source, "src." + id + ".>");
        nats.createStream(sink, "dst." + id + ".>");
        config = DaemonConfig.postgres(dir, "sys", """
                shutdown-timeout: 20s
                connections:
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: copy
                    from: { connection: js, stream: %s, durable: copy }
                    to: { connection: js, subject: "dst.%s.{subject}" }
                    key: native
                """.formatted(JetStreamFixture.URL, source, id));
    }

    private void publish(int keys) throws Exception {
        nats.publishKeyed("src." + id + ".events", RECORDS, keys);
    }

    @AfterEach
    void tearDown() throws Exception {
        nats.close();
        config.close();
    }

    private record Stored(long sequence, long records) {
    }

    private Stored stored() throws SQLException {
        try (Connection db = Postgres.connect();
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT sequence, records FROM " + config.schema()
                     + ".offsets WHERE pipeline = 'copy'")) {
            return rs.next() ? new Stored(rs.getLong(1), rs.getLong(2)) : new Stored(0, 0);
        }
    }

    @Test
    void copiesAHundredThousandRecordsInPerKeyOrder() throws Exception {
        publish(KEYS);
        try (DaemonProcess daemon = config.run()) {
            daemon.awaitReady(Duration.ofSeconds(60));
            daemon.await("all records at the sink", DELIVERY, () -> nats.count(sink) == RECORDS);
            daemon.await("commit of the last position", Duration.ofSeconds(30), () -> stored().sequence() == RECORDS);
            assertThat(daemon.get("/pipelines").body()).contains("\"copy\"");
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
        }
        Map<String, Integer> perKey = JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(nats.readAll(sink));
        assertThat(perKey).hasSize(KEYS);
        assertThat(perKey.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(RECORDS);
        assertThat(stored().records()).isEqualTo(RECORDS);
    }

    @Test
    void losesAndDuplicatesNothingWhenKilledMidRun() throws Exception {
        publish(KEYS);
        try (DaemonProcess first = config.run()) {
            first.awaitReady(Duration.ofSeconds(60));
            first.await("a third of the records at the sink", DELIVERY, () -> nats.count(sink) >= RECORDS / 3);
            first.kill();
        }
        long atKill = nats.count(sink);
        assertThat(atKill).isLessThan(RECORDS);
        try (DaemonProcess second = config.run()) {
            second.awaitReady(Duration.ofSeconds(60));
            second.await("all records at the sink", DELIVERY, () -> nats.count(sink) >= RECORDS);
            second.await("commit of the last position", Duration.ofSeconds(30), () -> stored().sequence() == RECORDS);
            assertThat(second.terminate(Duration.ofSeconds(60))).isZero();
        }
        assertThat(nats.count(sink)).as("records at the sink after the restart (duplicates dropped by Nats-Msg-Id)")
                .isEqualTo(RECORDS);
        JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(nats.readAll(sink));
    }

    @Test
    void keepsOneKeysOrderAndLosesAndDuplicatesNothingWhenKilledTwice() throws Exception {
        publish(1);
        for (int kill = 1; kill <= 2; kill++) {
            long target = (long) RECORDS * kill / 3;
            try (DaemonProcess daemon = config.run()) {
                daemon.awaitReady(Duration.ofSeconds(60));
                daemon.await(kill + " third(s) of the records at the sink", DELIVERY, () -> nats.count(sink) >= target);
                daemon.kill();
            }
        }
        assertThat(nats.count(sink)).isLessThan(RECORDS);
        try (DaemonProcess last = config.run()) {
            last.awaitReady(Duration.ofSeconds(60));
            last.await("all records at the sink", DELIVERY, () -> nats.count(sink) >= RECORDS);
            last.await("commit of the last position", Duration.ofSeconds(30), () -> stored().sequence() == RECORDS);
            assertThat(last.terminate(Duration.ofSeconds(60))).isZero();
        }
        assertThat(nats.count(sink)).as("records at the sink after two kills (replays dropped by Nats-Msg-Id)")
                .isEqualTo(RECORDS);
        assertThat(JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(nats.readAll(sink)))
                .containsExactly(Map.entry("key-0", RECORDS));
    }

    @Test
    void drainsAndWritesAFinalCommitOnSigterm() throws Exception {
        publish(KEYS);
        int exitCode;
        try (DaemonProcess daemon = config.run()) {
            daemon.awaitReady(Duration.ofSeconds(60));
            daemon.await("a fifth of the records at the sink", DELIVERY, () -> nats.count(sink) >= RECORDS / 5);
            exitCode = daemon.terminate(Duration.ofSeconds(60));
            assertThat(daemon.output()).contains("final commit written");
        }
        assertThat(exitCode).isZero();
        Stored stored = stored();
        assertThat(stored.sequence()).as("committed position").isBetween((long) RECORDS / 5, (long) RECORDS);
        assertThat(nats.count(sink)).as("records at the sink = records committed: drained, then committed")
                .isEqualTo(stored.sequence());
        assertThat(stored.records()).isEqualTo(stored.sequence());
    }
}
