package io.msgbridge.system;

import io.msgbridge.testing.Ports;
import io.nats.client.impl.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** NATS core → JetStream through the daemon with the default file offset store. */
class CoreToJetStreamTest {
    @TempDir
    Path dir;

    @Test
    void bridgesCoreMessagesIntoAStreamWithHeadersAndKeys() throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        int port = Ports.free();
        Path config = dir.resolve("core.yaml");
        Files.writeString(config, """
                http: { listen: 127.0.0.1:%d }
                connections:
                  local: { type: nats, servers: [%s] }
                pipelines:
                  - name: core-to-js
                    from: { connection: local, subject: "in.%s.>" }
                    to:
                      connection: local
                      subject: "out.%s.{subject}"
                      create-stream: { name: OUT_%s, subjects: ["out.%s.>"] }
                    key: subject
                """.formatted(port, JetStreamFixture.URL, id, id, id, id));
        try (JetStreamFixture nats = new JetStreamFixture();
             DaemonProcess daemon = DaemonProcess.run(config, port)) {
            daemon.awaitReady(Duration.ofSeconds(60));
            for (int i = 0; i < 10_000; i++) {
                nats.connection.publish("in." + id + ".k" + (i % 10), new Headers().add("trace", "t" + i),
                        ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            }
            nats.connection.flush(Duration.ofSeconds(5));
            daemon.await("10,000 messages in the stream", Duration.ofMinutes(2), () -> nats.count("OUT_" + id) == 10_000);
            java.util.Map<String, Integer> lastPerSubject = new java.util.HashMap<>();
            for (io.nats.client.Message m : nats.readAll("OUT_" + id)) {
                int n = Integer.parseInt(new String(m.getData(), StandardCharsets.UTF_8).replaceAll("\\D", ""));
                assertThat(m.getSubject()).isEqualTo("out." + id + ".in." + id + ".k" + (n % 10));
                assertThat(m.getHeaders().getFirst("trace")).isEqualTo("t" + n);
                Integer previous = lastPerSubject.put(m.getSubject(), n);
                assertThat(n).as("per-subject order").isEqualTo(previous == null ? n % 10 : previous + 10);
            }
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
            nats.jsm.deleteStream("OUT_" + id);
        }
        assertThat(Files.exists(dir.resolve("data/offsets.json"))).isTrue();
    }
}
