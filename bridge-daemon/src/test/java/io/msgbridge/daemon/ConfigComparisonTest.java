package io.msgbridge.daemon;

import io.msgbridge.config.BridgeConfig;
import io.msgbridge.config.PipelineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pipelines loaded by {@link ConfigFile} compare by value, which is how a reload tells the pipelines to
 * restart from those to leave alone. Real connectors: a JetStream sink's spec holds a read-back that is
 * an anonymous class, so the backends' own specs never compare equal across two loads.
 */
class ConfigComparisonTest {
    private static final String TEMPLATE = """
            connections:
              local: { type: nats, servers: [nats://127.0.0.1:4222], token: "${file:token.txt}" }
              other: { type: nats, servers: [%s] }
            pipelines:
              - name: orders
                from: { connection: local, stream: ORDERS }
                to: { connection: local, subject: "%s" }
              - name: audit
                from: { connection: other, subject: "audit.>" }
                to: { connection: other, subject: "archive.{subject}", create-stream: { name: ARCHIVE, subjects: [ "archive.>" ] } }
            """;

    @TempDir
    Path dir;

    private Map<String, PipelineConfig> load(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("bridge.yaml"), yaml);
        List<String> problems = new ArrayList<>();
        BridgeConfig config = ConfigFile.load(file, problems::add, "not loaded").orElseThrow(
                () -> new AssertionError("problems: " + problems));
        return config.pipelines().stream().collect(Collectors.toMap(PipelineConfig::name, Function.identity()));
    }

    private Map<String, PipelineConfig> load(String otherServer, String ordersSubject) throws Exception {
        return load(TEMPLATE.formatted(otherServer, ordersSubject));
    }

    @Test
    void theSameFileLoadedTwiceGivesEqualPipelines() throws Exception {
        Files.writeString(dir.resolve("token.txt"), "s3cret");

        Map<String, PipelineConfig> first = load("nats://10.0.0.2:4222", "copy.orders");
        Map<String, PipelineConfig> second = load("nats://10.0.0.2:4222", "copy.orders");

        assertThat(second).isEqualTo(first);
    }

    @Test
    void pipelinesMovedInTheFileOrWithCommentsAddedAreEqual() throws Exception {
        Files.writeString(dir.resolve("token.txt"), "s3cret");
        Map<String, PipelineConfig> before = load("nats://10.0.0.2:4222", "copy.orders");

        String lines = TEMPLATE.formatted("nats://10.0.0.2:4222", "copy.orders");
        String orders = lines.substring(lines.indexOf("  - name: orders"), lines.indexOf("  - name: audit"));
        String moved = "# moved around\n" + lines.replace(orders, "") + orders.replace("to:", "# a comment\n    to:");
        Map<String, PipelineConfig> after = load(moved);

        assertThat(after).isEqualTo(before);
    }

    @Test
    void aChangedPipelineSectionChangesOnlyThatPipeline() throws Exception {
        Files.writeString(dir.resolve("token.txt"), "s3cret");
        Map<String, PipelineConfig> before = load("nats://10.0.0.2:4222", "copy.orders");

        Map<String, PipelineConfig> after = load("nats://10.0.0.2:4222", "copy2.orders");

        assertThat(after.get("orders")).isNotEqualTo(before.get("orders"));
        assertThat(after.get("audit")).isEqualTo(before.get("audit"));
    }

    @Test
    void aChangedConnectionChangesThePipelinesThatUseIt() throws Exception {
        Files.writeString(dir.resolve("token.txt"), "s3cret");
        Map<String, PipelineConfig> before = load("nats://10.0.0.2:4222", "copy.orders");

        Map<String, PipelineConfig> after = load("nats://10.0.0.3:4222", "copy.orders");

        assertThat(after.get("audit")).isNotEqualTo(before.get("audit"));
        assertThat(after.get("orders")).isEqualTo(before.get("orders"));
    }

    @Test
    void aSecretReadFromAChangedFileChangesThePipelinesThatUseIt() throws Exception {
        Files.writeString(dir.resolve("token.txt"), "s3cret");
        Map<String, PipelineConfig> before = load("nats://10.0.0.2:4222", "copy.orders");

        Files.writeString(dir.resolve("token.txt"), "rotated");
        Map<String, PipelineConfig> after = load("nats://10.0.0.2:4222", "copy.orders");

        assertThat(after.get("orders")).isNotEqualTo(before.get("orders"));
        assertThat(after.get("audit")).isEqualTo(before.get("audit"));
    }

    @Test
    void aFileNamedByTheConnectionCountsByItsContents() throws Exception {
        Path ca = dir.resolve("ca.pem");
        String yaml = """
                connections:
                  tls: { type: nats, servers: [tls://10.0.0.2:4222], tls: { ca: ca.pem } }
                pipelines:
                  - { name: secure, from: { connection: tls, subject: "in.>" }, to: { connection: tls, subject: out } }
                """;
        Files.writeString(ca, "first certificate");
        PipelineConfig before = load(yaml).get("secure");
        PipelineConfig same = load(yaml).get("secure");

        Files.writeString(ca, "rotated certificate");
        PipelineConfig after = load(yaml).get("secure");

        assertThat(same).isEqualTo(before);
        assertThat(after).isNotEqualTo(before);
    }
}
