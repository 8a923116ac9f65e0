package io.msgbridge.system;

import io.msgbridge.testing.Ports;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bridge verify} on a JetStream -> JetStream pipeline the daemon has drained, then on a damaged sink. */
class VerifyCommandTest {
    @TempDir
    Path dir;

    @Test
    void verifySaysDrainedThenReportsReplayedDuplicatesThenNamesTheKeyOfARecordDeletedFromTheSink() throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        int port = Ports.free();
        Path config = dir.resolve("bridge.yaml");
        Files.writeString(config, """
                http: { listen: 127.0.0.1:%d }
                connections:
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: copy
                    key: json:/k
                    from: { connection: js, stream: SRC_%s }
                    to: { connection: js, subject: "dst.%s.{subject}" }
                """.formatted(port, JetStreamFixture.URL, id, id));
        try (JetStreamFixture nats = new JetStreamFixture()) {
            nats.createStream("SRC_" + id, "src." + id + ".>");
            nats.createStream("DST_" + id, "dst." + id + ".>");
            nats.publishKeyed("src." + id + ".events", 300, 5);
            try (DaemonProcess daemon = DaemonProcess.run(config, port)) {
                daemon.await("all copied and committed", Duration.ofMinutes(1),
                        () -> nats.count("DST_" + id) == 300
                                && DaemonProcess.command(dir, "offsets", "show", config.toString()).output()
                                .matches("(?s).*copy\\s+SRC_" + id + "\\s+300\\s.*"));
                DaemonProcess.Result running = DaemonProcess.command(dir, "verify", config.toString(), "--pipeline", "copy");
                assertThat(running.output()).contains("daemon (http://127.0.0.1:" + port + "/pipelines): RUNNING, in flight 0");
                assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
            }

            DaemonProcess.Result drained = DaemonProcess.command(dir, "verify", config.toString(), "--pipeline", "copy");
            assertThat(drained.exitCode()).as(drained.output()).isZero();
            assertThat(drained.output())
                    .contains("source (nats:read stream SRC_" + id + "): 300 records up to the committed positions, in 5 keys; 0 after them")
                    .contains("verdict: drained: every source record up to position SRC_" + id + "@300 is at the sink in order (5 keys, 300 records)");

            List<Message> sink = nats.readAll("DST_" + id);
            List<Message> ofKey1 = sink.stream().filter(m -> "key-1".equals(m.getHeaders().getFirst("Sharding-Key"))).toList();
            for (Message m : ofKey1.subList(ofKey1.size() - 2, ofKey1.size())) {
                nats.js.publish(m.getSubject(), new Headers().add("Sharding-Key", "key-1"), m.getData());
            }
            DaemonProcess.Result replayed = DaemonProcess.command(dir, "verify", config.toString(), "--pipeline", "copy");
            assertThat(replayed.exitCode()).as(replayed.output()).isZero();
            assertThat(replayed.output()).contains("sink (nats:read-back dst." + id + ".>): 302 records; 2 earlier copies of source records")
                    .contains("verdict: drained:");

            Message deleted = sink.stream().filter(m -> "key-3".equals(m.getHeaders().getFirst("Sharding-Key"))).toList().get(10);
            nats.jsm.deleteMessage("DST_" + id, deleted.metaData().streamSequence());
            DaemonProcess.Result damaged = DaemonProcess.command(dir, "verify", config.toString(), "--pipeline", "copy");
            assertThat(damaged.exitCode()).as(damaged.output()).isEqualTo(1);
            assertThat(new String(deleted.getData(), StandardCharsets.UTF_8)).contains("\"k\":\"key-3\",\"n\":10");
            assertThat(damaged.output()).containsPattern("key-3 +60 +59 ")
                    .contains("verdict: NOT drained: 1 key differs: key key-3: 1 source record not at the sink (first: SRC_" + id + "@");
        }
    }
}
