package io.msgbridge.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.msgbridge.testing.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What an operator does next to a running daemon: read and move offsets, read JSON logs. */
class OperatorCommandsTest {
    @TempDir
    Path dir;

    @Test
    void offsetsSetAndDlqReplayAreRefusedWhileTheDaemonRunsThePipelineAndSetWorksAfterItStopped() throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        int port = Ports.free();
        Path config = dir.resolve("bridge.yaml");
        Files.writeString(config, """
                http: { listen: 127.0.0.1:%d }
                connections:
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: copy
                    from: { connection: js, stream: SRC_%s }
                    to: { connection: js, subject: "dst.%s.{subject}" }
                    dead-letter: { connection: js, subject: "dlq.%s.copy" }
                """.formatted(port, JetStreamFixture.URL, id, id, id));
        try (JetStreamFixture nats = new JetStreamFixture()) {
            nats.createStream("SRC_" + id, "src." + id + ".>");
            nats.createStream("DST_" + id, "dst." + id + ".>");
            nats.createStream("DLQ_" + id, "dlq." + id + ".>");
            nats.publishKeyed("src." + id + ".events", 500, 5);
            try (DaemonProcess daemon = DaemonProcess.run(config, port, "--log-format", "json")) {
                daemon.await("all copied and committed", Duration.ofMinutes(1),
                        () -> nats.count("DST_" + id) == 500
                                && DaemonProcess.command(dir, "offsets", "show", config.toString()).output()
                                .matches("(?s).*copy\\s+SRC_" + id + "\\s+500\\s.*"));

                DaemonProcess.Result refused = DaemonProcess.command(dir, "offsets", "set", config.toString(),
                        "--pipeline", "copy", "--partition", "SRC_" + id, "--position", "100");
                assertThat(refused.exitCode()).isEqualTo(1);
                assertThat(refused.output()).contains("pipeline copy is being run by a daemon").contains("stop it first");
                DaemonProcess.Result replay = DaemonProcess.command(dir, "dlq", "replay", config.toString(), "--pipeline", "copy");
                assertThat(replay.exitCode()).as(replay.output()).isEqualTo(1);
                assertThat(replay.output()).contains("NOT complete: offsets file").contains("is in use by another daemon")
                        .contains("stop the other one, or use PostgreSQL offsets, which several daemons and dlq replay can share");

                assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
                ObjectMapper json = new ObjectMapper();
                long pipelineLines = daemon.output().lines().filter(line -> line.startsWith("{")).map(line -> {
                    try {
                        return json.readTree(line);
                    } catch (Exception e) {
                        throw new AssertionError("not a JSON log line: " + line, e);
                    }
                }).filter(node -> "copy".equals(node.path("mdc").path("pipeline").asText())).count();
                assertThat(pipelineLines).isPositive();
            }
            DaemonProcess.Result set = DaemonProcess.command(dir, "offsets", "set", config.toString(),
                    "--pipeline", "copy", "--partition", "SRC_" + id, "--position", "100");
            assertThat(set.exitCode()).as(set.output()).isZero();
            assertThat(DaemonProcess.command(dir, "offsets", "show", config.toString(), "--pipeline", "copy").output())
                    .containsPattern("copy\\s+SRC_" + id + "\\s+100\\s");
        }
    }
}
