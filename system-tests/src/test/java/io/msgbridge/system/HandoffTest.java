package io.msgbridge.system;

import io.msgbridge.testing.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two daemons run the same pipelines against one PostgreSQL: one owns the pipeline, the other waits;
 * when the owner is killed, the standby takes over from the last committed position, in per-key order,
 * with nothing lost and nothing duplicated.
 */
class HandoffTest {
    private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final int RECORDS = 30_000;

    @TempDir
    Path dir;

    private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @AfterEach
    void dropSchema() throws Exception {
        try (Connection db = DriverManager.getConnection(PG_URL, "postgres", null);
             Statement st = db.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS handoff_" + id + " CASCADE");
        }
    }

    private Path config(String name, int port) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, """
                offsets:
                  postgres: { url: %s, user: postgres, schema: handoff_%s }
                  commit-interval: 200ms
                http: { listen: 127.0.0.1:%d }
                connections:
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: copy
                    from: { connection: js, stream: SRC_%s }
                    to: { connection: js, subject: "dst.%s.{subject}" }
                    max-in-flight: { records: 500 }
                """.formatted(PG_URL, id, port, JetStreamFixture.URL, id, id));
        return file;
    }

    @Test
    void aStandbyDaemonTakesOverAKilledOwnersPipelineWithoutLossOrDuplicates() throws Exception {
        int portA = Ports.free();
        int portB = Ports.free();
        try (JetStreamFixture nats = new JetStreamFixture();
             DaemonProcess owner = DaemonProcess.run(config("a.yaml", portA), portA)) {
            nats.createStream("SRC_" + id, "src." + id + ".>");
            nats.createStream("DST_" + id, "dst." + id + ".>");
            owner.awaitReady(Duration.ofSeconds(60));
            try (DaemonProcess standby = DaemonProcess.run(config("b.yaml", portB), portB, "--instance-id", "standby")) {
                standby.await("standby waiting for the claim", Duration.ofSeconds(60),
                        () -> standby.get("/pipelines").body().contains("is claimed by"));
                assertThat(standby.get("/health/ready").statusCode()).isEqualTo(503);

                nats.publishKeyed("src." + id + ".events", RECORDS, 50);
                owner.await("some records copied", Duration.ofMinutes(2), () -> nats.count("DST_" + id) >= RECORDS / 4);
                owner.kill();

                standby.await("standby took over and copied the rest", Duration.ofMinutes(3),
                        () -> nats.count("DST_" + id) >= RECORDS);
                assertThat(standby.get("/health/ready").statusCode()).isEqualTo(200);
                assertThat(standby.terminate(Duration.ofSeconds(60))).isZero();
            }
            assertThat(nats.count("DST_" + id)).isEqualTo(RECORDS);
            JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(nats.readAll("DST_" + id));
        }
    }
}
