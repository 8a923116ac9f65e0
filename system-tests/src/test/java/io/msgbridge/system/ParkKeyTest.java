package io.msgbridge.system;

import io.msgbridge.testing.Ports;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code on-poison: park-key} against real streams: a record the sink refuses for good goes to the
 * dead-letter stream and parks its key; the key's later records wait while the other keys flow, and
 * still wait after the daemon restarts (they come again from the stream, the key is parked again from
 * the offset store); an operator's {@code bridge keys release} (which sends the daemon's admin token)
 * lets them go on, in order.
 */
class ParkKeyTest {
    @TempDir
    Path dir;

    @Test
    void aPoisonRecordParksItsKeyAcrossARestartUntilAnOperatorReleasesIt() throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        int port = Ports.free();
        Path config = dir.resolve("bridge.yaml");
        Files.writeString(dir.resolve("admin-token"), "park-test-token\n");
        Files.writeString(config, """
                http: { listen: 127.0.0.1:%d, admin-token: "${file:admin-token}" }
                connections:
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: parking
                    from: { connection: js, stream: SRC_%s }
                    to: { connection: js, subject: "dst.%s.{subject}" }
                    dead-letter: { connection: js, subject: "dlq.%s" }
                    on-poison: park-key
                """.formatted(port, JetStreamFixture.URL, id, id, id));
        try (JetStreamFixture nats = new JetStreamFixture();
             DaemonProcess daemon = DaemonProcess.run(config, port)) {
            nats.createStream("SRC_" + id, "src." + id + ".>");
            nats.createStream("DLQ_" + id, "dlq." + id);
            nats.jsm.addStream(StreamConfiguration.builder().name("DST_" + id).subjects("dst." + id + ".>")
                    .storageType(StorageType.File).maximumMessageSize(4096).build());
            daemon.awaitReady(Duration.ofSeconds(60));

            String subject = "src." + id + ".events";
            nats.publishKeyed(subject, 300, 3);
            nats.js.publish(subject, new Headers().add("Sharding-Key", "key-0"),
                    ("{\"k\":\"key-0\",\"n\":100,\"pad\":\"" + "x".repeat(8000) + "\"}").getBytes(StandardCharsets.UTF_8));
            for (int n = 101; n < 111; n++) {
                nats.js.publish(subject, new Headers().add("Sharding-Key", "key-0"),
                        ("{\"k\":\"key-0\",\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8));
                nats.js.publish(subject, new Headers().add("Sharding-Key", "key-1"),
                        ("{\"k\":\"key-1\",\"n\":" + (n - 1) + "}").getBytes(StandardCharsets.UTF_8));
            }

            daemon.await("the poison record dead-lettered and key-0 parked with 10 records", Duration.ofMinutes(2),
                    () -> nats.count("DLQ_" + id) == 1 && daemon.get("/pipelines").body().contains("\"key-0\":10"));
            daemon.await("the other keys flowed past", Duration.ofMinutes(1),
                    () -> nats.count("DST_" + id) == 300 + 10);
            assertThat(daemon.get("/health/ready").statusCode()).isEqualTo(503);
            assertThat(daemon.get("/metrics").body()).contains("bridge_parked_records{pipeline=\"parking\"} 10");
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
            DaemonProcess.Result shown = DaemonProcess.command(dir, "offsets", "show", config.toString());
            assertThat(shown.exitCode()).as(shown.output()).isZero();
            assertThat(shown.output()).contains("parking: parked keys key-0 (their records wait for 'bridge keys release'");

            try (DaemonProcess restarted = DaemonProcess.run(config, port)) {
                restarted.await("key-0 parked again after the restart, its 10 redelivered records held", Duration.ofMinutes(2),
                        () -> restarted.get("/pipelines").body().contains("\"key-0\":10"));
                assertThat(nats.count("DST_" + id)).as("nothing of key-0 delivered after the restart").isEqualTo(300 + 10);
                assertThat(nats.count("DLQ_" + id)).isEqualTo(1);

                DaemonProcess.Result release = DaemonProcess.command(dir, "keys", "release", config.toString(),
                        "--pipeline", "parking", "--key", "key-0");
                assertThat(release.exitCode()).as(release.output()).isZero();

                restarted.await("key-0's held records delivered", Duration.ofMinutes(1),
                        () -> nats.count("DST_" + id) == 300 + 20);
                restarted.await("ready again", Duration.ofSeconds(30), () -> restarted.get("/health/ready").statusCode() == 200);
                assertThat(restarted.terminate(Duration.ofSeconds(60))).isZero();
            }

            java.util.List<io.nats.client.Message> delivered = nats.readAll("DST_" + id);
            java.util.Map<String, Integer> last = new java.util.HashMap<>();
            for (io.nats.client.Message m : delivered) {
                String body = new String(m.getData(), StandardCharsets.UTF_8);
                String key = body.replaceAll(".*\"k\":\"([^\"]+)\".*", "$1");
                int n = Integer.parseInt(body.replaceAll(".*\"n\":(\\d+).*", "$1"));
                Integer previous = last.put(key, n);
                int expected = previous == null ? 0 : ("key-0".equals(key) && previous == 99 ? 101 : previous + 1);
                assertThat(n).as("order of %s", key).isEqualTo(expected);
            }
            assertThat(nats.readAll("DLQ_" + id).get(0).getHeaders().getFirst("bridge.error.stage")).isEqualTo("sink");
        }
    }
}
