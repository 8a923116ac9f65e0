package io.msgbridge.system;

import io.msgbridge.testing.Ports;
import io.msgbridge.testing.Postgres;
import io.msgbridge.testing.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failures that must stay contained: a pipeline with refused credentials or a missing stream fails
 * alone while the others run; a PostgreSQL outage pauses commits and readiness, not delivery; a
 * missing offsets database fails the pipeline with the fix rather than waiting.
 */
class FailureIsolationTest {
    @TempDir
    Path dir;

    private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final List<Process> servers = new ArrayList<>();
    private JetStreamFixture nats;

    @BeforeEach
    void setUp() throws Exception {
        nats = new JetStreamFixture();
        nats.createStream("SRC_" + id, "src." + id + ".>");
        nats.createStream("DST_" + id, "dst." + id + ".>");
    }

    @AfterEach
    void tearDown() throws Exception {
        nats.close();
        for (Process server : servers) {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        Postgres.dropSchema("iso_" + id);
    }

    /** A nats-server of the test's own that wants user {@code bridge} with password {@code right-password}. */
    private int natsWithAuth() throws Exception {
        int port = Ports.free();
        Process server = new ProcessBuilder("/usr/sbin/nats-server", "-a", "127.0.0.1", "-p", Integer.toString(port),
                "--user", "bridge", "--pass", "right-password")
                .redirectErrorStream(true).redirectOutput(dir.resolve("nats-auth.log").toFile()).start();
        servers.add(server);
        await("nats-server with auth on " + port).atMost(Duration.ofSeconds(20)).until(() -> {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return port;
    }

    @Test
    void aPipelineWithRefusedCredentialsOrAMissingStreamFailsAloneWhileTheOthersRun() throws Exception {
        int authPort = natsWithAuth();
        int port = Ports.free();
        Path config = dir.resolve("bridge.yaml");
        Files.writeString(config, """
                http: { listen: 127.0.0.1:%d }
                connections:
                  js: { type: nats, servers: [%s] }
                  locked: { type: nats, servers: [nats://127.0.0.1:%d], user: bridge, password: wrong-password }
                pipelines:
                  - name: healthy
                    from: { connection: js, stream: SRC_%s }
                    to: { connection: js, subject: "dst.%s.{subject}" }
                  - name: no-stream
                    from: { connection: js, stream: MISSING_%s }
                    to: { connection: js, subject: "dst.%s.x" }
                  - name: bad-credentials
                    from: { connection: locked, subject: "anything" }
                    to: { connection: js, subject: "dst.%s.y" }
                """.formatted(port, JetStreamFixture.URL, authPort, id, id, id, id, id));
        try (DaemonProcess daemon = DaemonProcess.run(config, port)) {
            nats.publishKeyed("src." + id + ".events", 2_000, 20);
            daemon.await("healthy pipeline delivers everything", Duration.ofMinutes(2), () -> nats.count("DST_" + id) == 2_000);
            daemon.await("both broken pipelines failed", Duration.ofMinutes(1), () -> {
                String status = daemon.get("/pipelines").body();
                return status.contains("\"name\":\"no-stream\",\"state\":\"FAILED\"")
                        && status.contains("\"name\":\"bad-credentials\",\"state\":\"FAILED\"");
            });
            String status = daemon.get("/pipelines").body();
            assertThat(status).contains("\"name\":\"healthy\",\"state\":\"RUNNING\",\"ready\":true")
                    .contains("MISSING_" + id + " does not exist")
                    .contains("locked")
                    .doesNotContain("wrong-password");
            assertThat(daemon.get("/health/ready").statusCode()).isEqualTo(503);
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
            assertThat(daemon.output()).doesNotContain("wrong-password");
        }
        JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(nats.readAll("DST_" + id));
    }

    @Test
    void aMissingOffsetsDatabaseFailsThePipelineWithTheFixInsteadOfWaiting() throws Exception {
        int port = Ports.free();
        Path config = dir.resolve("bridge.yaml");
        Files.writeString(config, """
                offsets:
                  postgres: { url: "jdbc:postgresql://127.0.0.1:5432/no_db_%s", user: postgres }
                http: { listen: 127.0.0.1:%d }
                connections:
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: copy
                    from: { connection: js, stream: SRC_%s }
                    to: { connection: js, subject: "dst.%s.{subject}" }
                """.formatted(id, port, JetStreamFixture.URL, id, id));
        try (DaemonProcess daemon = DaemonProcess.run(config, port)) {
            daemon.await("pipeline failed", Duration.ofMinutes(1),
                    () -> daemon.get("/pipelines").body().contains("\"name\":\"copy\",\"state\":\"FAILED\""));
            assertThat(daemon.get("/pipelines").body()).contains("no_db_" + id)
                    .contains("create the database or fix offsets.postgres.url");
            assertThat(daemon.get("/health/ready").statusCode()).isEqualTo(503);
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
            assertThat(daemon.output()).contains("[copy] failed: claiming pipeline in the offset store failed: PostgreSQL")
                    .doesNotContain("attempt 2");
        }
    }

    private long committedSequence() {
        return Postgres.committed("iso_" + id, "copy");
    }

    @Test
    void aPostgresOutagePausesCommitsAndReadinessButNotDeliveryAndCommitsResumeAfterward() throws Exception {
        int pgPort = Ports.free();
        TcpProxy proxy = new TcpProxy(pgPort, "127.0.0.1", 5432);
        int port = Ports.free();
        Path config = dir.resolve("bridge.yaml");
        Files.writeString(config, """
                offsets:
                  postgres: { url: "jdbc:postgresql://127.0.0.1:%d/test", user: postgres, schema: iso_%s }
                  commit-interval: 200ms
                http: { listen: 127.0.0.1:%d }
                connections:
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: copy
                    from: { connection: js, stream: SRC_%s }
                    to: { connection: js, subject: "dst.%s.{subject}" }
                """.formatted(pgPort, id, port, JetStreamFixture.URL, id, id));
        try (DaemonProcess daemon = DaemonProcess.run(config, port)) {
            daemon.awaitReady(Duration.ofSeconds(60));
            nats.publishKeyed("src." + id + ".events", 1_000, 10);
            daemon.await("first thousand committed", Duration.ofMinutes(1), () -> committedSequence() == 1_000);

            proxy.close();
            daemon.await("not ready while PostgreSQL is unreachable", Duration.ofSeconds(60), () -> daemon.get("/health/ready").statusCode() == 503);
            nats.publishKeyed("src." + id + ".more", 1_000, 10);
            daemon.await("records still delivered during the outage", Duration.ofMinutes(1), () -> nats.count("DST_" + id) == 2_000);
            assertThat(daemon.get("/pipelines").body()).contains("offset commit failed");
            assertThat(committedSequence()).isEqualTo(1_000);

            proxy = new TcpProxy(pgPort, "127.0.0.1", 5432);
            daemon.await("commits resume", Duration.ofMinutes(1), () -> committedSequence() == 2_000);
            daemon.await("ready again", Duration.ofSeconds(30), () -> daemon.get("/health/ready").statusCode() == 200);
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
        } finally {
            proxy.close();
        }
        assertThat(nats.count("DST_" + id)).isEqualTo(2_000);
    }
}
