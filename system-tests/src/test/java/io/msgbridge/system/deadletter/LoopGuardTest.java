package io.msgbridge.system.deadletter;

import io.msgbridge.nats.NatsTestServer;
import io.msgbridge.system.DaemonConfig;
import io.msgbridge.system.DaemonProcess;
import io.msgbridge.system.JetStreamFixture;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dead letters in a PostgreSQL table: one row per record, listed with {@code dlq list}; a replayed
 * record that fails again returns to the table with its origin, more attempts and
 * {@code replays = 1}; {@code --max-replays 1} then leaves it there and says so; {@code --key} with
 * {@code --to} replays one key's dead letters to another subject, with progress of its own.
 */
class LoopGuardTest {
    private static final int RECORDS = 20;

    @TempDir
    Path dir;

    private NatsTestServer server;
    private JetStreamFixture nats;
    private DaemonConfig config;

    @BeforeEach
    void setUp() throws Exception {
        server = NatsTestServer.start();
        nats = new JetStreamFixture(server.url());
        nats.createStream("SRC", "src.>");
        nats.createStream("DST", "dst.>", 256);
        nats.createStream("OTHER", "other.>");
        config = DaemonConfig.postgres(dir, "dlqg", """
                connections:
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: guard
                    from: { connection: js, stream: SRC }
                    to: { connection: js, subject: "dst.{subject}" }
                    dead-letter: { postgres: { table: dead_letters } }
                    key: native
                """.formatted(server.url()));
    }

    @AfterEach
    void tearDown() throws Exception {
        nats.close();
        server.close();
        config.close();
    }

    private long rows(String where) {
        try (Connection db = Postgres.connect(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + config.schema() + ".dead_letters WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private String run(int expectedExit, String... args) throws Exception {
        DaemonProcess command = DaemonProcess.spawn(dir, args);
        assertThat(command.waitFor(Duration.ofSeconds(90))).as(command.output()).isEqualTo(expectedExit);
        return command.output();
    }

    @Test
    void sendsARecordThatFailsAgainBackWithItsOriginAndStopsItAfterMaxReplays() throws Exception {
        nats.publishKeyed("src.events", RECORDS, 4, ",\"pad\":\"" + "x".repeat(300) + "\"");
        try (DaemonProcess daemon = config.run()) {
            await("every record in the dead-letter table").atMost(Duration.ofSeconds(60)).failFast(daemon::assertAlive)
                    .until(() -> rows("pipeline = 'guard' AND stage = 'sink' AND replays = 0 AND attempts = 1") == RECORDS);
        }
        assertThat(run(0, "dlq", "list", config.path(), "--pipeline", "guard", "--error", "maximum"))
                .contains(RECORDS + " dead letters of pipeline guard");

        String replay = run(0, "dlq", "replay", config.path(), "--pipeline", "guard");
        assertThat(replay).contains("replayed 0, failed again (back in the dead-letter route) " + RECORDS);
        assertThat(rows("replays = 1 AND attempts = 2 AND pipeline = 'guard' AND source_partition = 'SRC'"
                + " AND topic = 'src.events' AND first_failed_at < last_failed_at")).isEqualTo(RECORDS);

        String guarded = run(0, "dlq", "replay", config.path(), "--pipeline", "guard", "--max-replays", "1");
        assertThat(guarded).contains("left because of --max-replays " + RECORDS);
        assertThat(rows("true")).as("rows after a replay stopped by --max-replays").isEqualTo(2L * RECORDS);
        assertThat(nats.count("DST")).isZero();

        String elsewhere = run(0, "dlq", "replay", config.path(), "--pipeline", "guard", "--key", "key-1",
                "--to", "js:other.replayed", "--max-replays", "5");
        assertThat(elsewhere).contains("guard~replay-").contains("replayed " + RECORDS / 2);
        assertThat(nats.count("OTHER")).as("both dead letters of each key-1 record, sent elsewhere").isEqualTo(RECORDS / 2);
    }
}
