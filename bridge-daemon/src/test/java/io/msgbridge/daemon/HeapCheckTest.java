package io.msgbridge.daemon;

import io.msgbridge.config.ConfigLoader;
import io.msgbridge.config.PipelineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HeapCheckTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    /** {@code count} NATS pipelines, each with the default in-flight bound, or {@code bytes} when given. */
    private List<PipelineConfig> pipelines(int count, String bytes) throws Exception {
        StringBuilder yaml = new StringBuilder("""
                connections:
                  local: { type: nats, servers: [nats://127.0.0.1:4222] }
                pipelines:
                """);
        for (int i = 0; i < count; i++) {
            yaml.append("  - { name: p").append(i).append(", from: { connection: local, subject: in").append(i)
                    .append(" }, to: { connection: local, subject: out").append(i).append(" }")
                    .append(bytes == null ? "" : ", max-in-flight: { bytes: " + bytes + " }").append(" }\n");
        }
        Path file = Files.writeString(dir.resolve("bridge.yaml"), yaml);
        ConfigLoader.Result result = ConfigLoader.load(file);
        assertThat(result.problems()).isEmpty();
        return result.config().orElseThrow().pipelines();
    }

    @Test
    void theShippedHeapHoldsThreePipelinesAtTheirDefaultBound() throws Exception {
        assertThat(HeapCheck.warning(pipelines(3, null), 160 * MIB)).isEmpty();
    }

    @Test
    void warnsWhenThePipelinesMayHoldMoreThanThreeQuartersOfTheHeap() throws Exception {
        assertThat(HeapCheck.warning(pipelines(4, null), 160 * MIB)).hasValueSatisfying(warning -> assertThat(warning)
                .contains("the 4 pipelines may hold up to 128 MiB of payload in flight")
                .contains("75% of the JVM's 160 MiB heap")
                .contains("raise -Xmx in config/jvm.options")
                .contains("to at least 171 MiB"));
        assertThat(HeapCheck.warning(pipelines(1, "200MiB"), 160 * MIB)).isPresent();
        assertThat(HeapCheck.warning(pipelines(1, "200MiB"), 1024 * MIB)).isEmpty();
    }
}
