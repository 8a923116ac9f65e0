package io.msgbridge.system.pulsar;

import io.msgbridge.system.DaemonProcess;
import io.msgbridge.testing.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Pulsar sink whose broker cannot be reached: the daemon's log says so in a few lines, each tagged with
 * the pipeline, rather than pulsar-client's line and stack trace per connect attempt.
 */
class PulsarUnreachableLogTest {
    @TempDir
    Path dir;

    @Test
    void anUnreachableBrokerIsAFewLinesEachTaggedWithThePipeline() throws Exception {
        int port = Ports.free();
        int nowhere = Ports.free();
        Path config = dir.resolve("bridge.yaml");
        Files.writeString(config, """
                offsets:
                  file: { path: offsets.json }
                http: { listen: 127.0.0.1:%d }
                connections:
                  nats: { type: nats, servers: [nats://127.0.0.1:4222] }
                  pulsar: { type: pulsar, service-url: "pulsar://127.0.0.1:%d" }
                pipelines:
                  - name: unreachable
                    from: { connection: nats, subject: "unreachable.in" }
                    to: { connection: pulsar, topic: "persistent://public/default/unreachable" }
                """.formatted(port, nowhere));

        try (DaemonProcess daemon = DaemonProcess.run(config, port)) {
            daemon.await("the pipeline's first failed attempt to connect its sink", Duration.ofSeconds(60),
                    () -> daemon.output().contains("attempt 1"));
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            daemon.await("10 s of the unreachable broker", Duration.ofSeconds(20), () -> System.nanoTime() - until >= 0);
            // Log lines, not what the JVM itself prints on stderr (the shipped launchers keep that away).
            List<String> lines = daemon.output().lines().filter(line -> !line.startsWith("WARNING: ") && !line.isBlank()).toList();
            List<String> pipelineLines = lines.stream().filter(line -> line.toLowerCase(java.util.Locale.ROOT).contains("pulsar")).toList();

            assertThat(pipelineLines).as("lines about Pulsar, in:\n%s", daemon.output())
                    .isNotEmpty().allMatch(line -> line.contains(" [unreachable] "));
            assertThat(lines).as("the whole log").noneMatch(line -> line.startsWith("\tat ") || line.startsWith("Caused by"))
                    .hasSizeLessThanOrEqualTo(12);
        }
    }
}
