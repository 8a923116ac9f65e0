package io.msgbridge.rocketmq;

import io.msgbridge.backend.BackendSinkSpec;
import io.msgbridge.backend.BackendSourceSpec;
import io.msgbridge.config.BridgeConfig;
import io.msgbridge.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading {@code type: rocketmq} sections through the real config loader. */
class RocketMqConfigReaderTest {
    @TempDir
    Path dir;

    private ConfigLoader.Result load(String connection, String from, String to) throws Exception {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, """
                connections:
                  rmq: %s
                pipelines:
                  - name: mirror
                    from: %s
                    to: %s
                """.formatted(connection, from, to));
        return ConfigLoader.load(file, Map.of("SK", "s3cr3t-key-value")::get, List.of(new RocketMqConnector()));
    }

    private static List<String> problems(ConfigLoader.Result result) {
        return result.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }

    @Test
    void readsEveryKeyIntoTypedOptions() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "x");
        ConfigLoader.Result result = load("""
                        { type: rocketmq, name-server: ["a:9876", "b:9876"], access-key: alice, secret-key: "${SK}", namespace: prod, tls: { ca: ca.pem }, client-id: bridge-1, operation-timeout: 5s }""",
                """
                        { connection: rmq, topic: opencoze_knowledge, tag: "a || b", consumer-group: cg_bridge, initial-position: latest, pull-batch: 64, mode: group, drain-timeout: 10s }""",
                """
                        { connection: rmq, topic: "copy_{name}", tag: "{tag}", send-timeout: 2s, max-message-size: 1MiB }""");

        assertThat(problems(result)).isEmpty();
        BridgeConfig config = result.config().orElseThrow();
        BackendSourceSpec<?, ?> source = (BackendSourceSpec<?, ?>) config.pipelines().get(0).source();
        BackendSinkSpec<?, ?> sink = (BackendSinkSpec<?, ?>) config.pipelines().get(0).sink();
        RocketMqConnectionOptions connection = (RocketMqConnectionOptions) source.connection();
        assertThat(connection.nameServerAddress()).isEqualTo("a:9876;b:9876");
        assertThat(connection.credentials().orElseThrow().accessKey()).isEqualTo("alice");
        assertThat(connection.credentials().orElseThrow().secretKey().reveal()).isEqualTo("s3cr3t-key-value");
        assertThat(connection.namespace()).contains("prod");
        assertThat(connection.tls().orElseThrow().ca()).contains(dir.resolve("ca.pem"));
        assertThat(connection.clientId()).isEqualTo("bridge-1");
        assertThat(connection.operationTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(connection.toString()).doesNotContain("s3cr3t");
        RocketMqSourceOptions from = (RocketMqSourceOptions) source.options();
        assertThat(from).isEqualTo(new RocketMqSourceOptions("opencoze_knowledge", "a || b", java.util.Optional.of("cg_bridge"),
                RocketMqSourceOptions.InitialPosition.LATEST, 64, RocketMqSourceOptions.Mode.GROUP, Duration.ofSeconds(10)));
        RocketMqSinkOptions to = (RocketMqSinkOptions) sink.options();
        assertThat(to.topic().render("orders.eu")).isEqualTo("copy_orders_eu");
        assertThat(to.tag()).contains("{tag}");
        assertThat(to.sendTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(to.maxMessageSize()).isEqualTo(1 << 20);
        assertThat(sink.describe()).isEqualTo("rocketmq:copy_{name} (tag {tag})");
    }

    @Test
    void reportsEveryConnectionProblemWithoutShowingTheSecret() throws Exception {
        ConfigLoader.Result result = load("""
                        { type: rocketmq, name-server: ["a"], secret-key: "${SK}", namespace: "a%b" }""",
                "{ connection: rmq, topic: t }", "{ connection: rmq, topic: u }");

        assertThat(problems(result)).containsExactlyInAnyOrder(
                "connections.rmq.name-server: invalid value \"a\": must be HOST:PORT, e.g. 127.0.0.1:9876",
                "connections.rmq.access-key: access-key and secret-key go together: give both or neither",
                "connections.rmq.namespace: invalid value \"a%b\": must be 1 to 64 of the characters a-z A-Z 0-9 _ -");
        assertThat(problems(result).toString()).doesNotContain("s3cr3t");
    }

    @Test
    void reportsEveryProblemOfSourceAndSinkSections() throws Exception {
        ConfigLoader.Result result = load("{ type: rocketmq, name-server: 127.0.0.1:9876 }",
                """
                        { connection: rmq, topic: "bad.topic", tag: "", consumer-group: "a b", mode: shared, drain-timeout: 1m }""",
                """
                        { connection: rmq, topic: "x/{topic}/y", tag: "a b" }""");

        assertThat(problems(result)).containsExactlyInAnyOrder(
                "pipelines[0].from.topic: invalid topic \"bad.topic\": must be 1 to 127 of the characters a-z A-Z 0-9 _ - % |",
                "pipelines[0].from.tag: must not be empty: * for every tag, or a tag expression such as \"a || b\"",
                "pipelines[0].from.consumer-group: invalid value \"a b\": must be 1 to 255 of the characters a-z A-Z 0-9 _ - % |",
                "pipelines[0].from.mode: invalid value \"shared\": must be one of assign, group",
                "pipelines[0].from.drain-timeout: invalid value \"1m\": must be at most 40s (a queue's broker lock lapses after 60 s"
                        + " without renewal, and locks are renewed between drains)",
                "pipelines[0].to.topic: invalid topic \"x/{topic}/y\": must be 1 to 127 of the characters a-z A-Z 0-9 _ - % | (besides {topic} and {name})",
                "pipelines[0].to.tag: invalid value \"a b\": a tag, or {tag} for the source record's tag; no white space or |");
    }

    @Test
    void validateWarnsOfAKeyOfTheOneTopicAndOfDeadLettersOnTheSinksTopic() throws Exception {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, """
                connections:
                  rmq: { type: rocketmq, name-server: ["a:9876"] }
                pipelines:
                  - name: by-topic
                    from: { connection: rmq, topic: opencoze_knowledge }
                    to: { connection: rmq, topic: copy_knowledge }
                    key: topic
                    dead-letter: { connection: rmq, topic: copy_knowledge }
                  - name: by-sharding-key
                    from: { connection: rmq, topic: opencoze_search_app }
                    to: { connection: rmq, topic: copy_search_app }
                    key: native
                    dead-letter: { connection: rmq, topic: dlq_search_app }
                """);

        ConfigLoader.Result result = ConfigLoader.load(file, Map.<String, String>of()::get, List.of(new RocketMqConnector()));

        assertThat(problems(result)).isEmpty();
        assertThat(result.warnings()).extracting(w -> w.line() + ": " + w.path() + ": " + w.message()).satisfiesExactly(
                w -> assertThat(w).startsWith("7: pipelines[0].key: key: topic is the same for every record, since this "
                        + "source reads one topic or subject"),
                w -> assertThat(w).startsWith("8: pipelines[0].dead-letter: the dead-letter route writes where the sink "
                        + "writes"));
    }
}
