package io.msgbridge.kafka;

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
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading {@code type: kafka} sections through the real config loader. */
class KafkaConfigReaderTest {
    private static final String PASSWORD = "s3cr3t-password-value";

    @TempDir
    Path dir;

    private ConfigLoader.Result load(String connection, String from, String to) throws Exception {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, """
                connections:
                  events: %s
                pipelines:
                  - name: mirror
                    from: %s
                    to: %s
                """.formatted(connection, from, to));
        return ConfigLoader.load(file, Map.of("PASSWORD", PASSWORD)::get, List.of(new KafkaConnector()));
    }

    private static List<String> problems(ConfigLoader.Result result) {
        return result.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }

    @Test
    void readsEveryKeyIntoTypedOptions() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "CA");
        Files.writeString(dir.resolve("client.pem"), "CERT");
        Files.writeString(dir.resolve("client.key"), "KEY");
        ConfigLoader.Result result = load("""
                        { type: kafka, bootstrap-servers: ["a:9093", "b:9093"], security: sasl_ssl, sasl: { mechanism: scram-sha-512, username: alice, password: "${PASSWORD}" }, tls: { ca: ca.pem, cert: client.pem, key: client.key }, client-id: mirror, request-timeout: 7s, properties: { "socket.connection.setup.timeout.ms": 2000, "isolation.level": read_committed } }""",
                """
                        { connection: events, topics-pattern: "orders\\\\..*", mode: group, group: mirror-group, initial-position: latest, pattern-discovery: 2s, drain-timeout: 10s }""",
                """
                        { connection: events, topic: "copy.{name}", rewrite: { pattern: "(.*)-v1", replacement: "$1" }, partition: source, compression: zstd, linger: 20ms, batch-size: 128KiB, max-request-size: 2MiB, delivery-timeout: 1m, max-block: 3s }""");

        assertThat(problems(result)).isEmpty();
        BridgeConfig config = result.config().orElseThrow();
        BackendSourceSpec<?, ?> source = (BackendSourceSpec<?, ?>) config.pipelines().get(0).source();
        BackendSinkSpec<?, ?> sink = (BackendSinkSpec<?, ?>) config.pipelines().get(0).sink();
        KafkaConnectionOptions connection = (KafkaConnectionOptions) source.connection();
        assertThat(connection.bootstrapServers()).containsExactly("a:9093", "b:9093");
        assertThat(connection.security()).isEqualTo(KafkaConnectionOptions.Security.SASL_SSL);
        assertThat(connection.sasl().orElseThrow().mechanism()).isEqualTo(KafkaConnectionOptions.Mechanism.SCRAM_SHA_512);
        assertThat(connection.requestTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(connection.properties()).containsEntry("isolation.level", "read_committed")
                .containsEntry("socket.connection.setup.timeout.ms", "2000");
        KafkaSourceOptions from = (KafkaSourceOptions) source.options();
        assertThat(from.topicsPattern().orElseThrow().pattern()).isEqualTo("orders\\..*");
        assertThat(from.mode()).isEqualTo(KafkaSourceOptions.Mode.GROUP);
        assertThat(from.groupName("mirror")).isEqualTo("mirror-group");
        assertThat(from.initialPosition()).isEqualTo(KafkaSourceOptions.StartPosition.LATEST);
        assertThat(from.drainTimeout()).isEqualTo(Duration.ofSeconds(10));
        KafkaSinkOptions to = (KafkaSinkOptions) sink.options();
        assertThat(to.topic().render("orders-v1")).isEqualTo("copy.orders");
        assertThat(to.partitioning()).isEqualTo(KafkaSinkOptions.Partitioning.SOURCE);
        assertThat(to.compression()).isEqualTo(KafkaSinkOptions.Compression.ZSTD);
        assertThat(to.batchSize()).isEqualTo(128 * 1024);
        assertThat(to.maxRequestSize()).isEqualTo(2 * 1024 * 1024);
        assertThat(sink.describe()).isEqualTo("kafka:copy.{name} (partition: source)");
        assertThat(source.describe()).isEqualTo("kafka:orders\\..*");

        Properties client = KafkaClients.common(connection, "bridge-mirror");
        assertThat(client.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(client.getProperty("sasl.jaas.config")).contains("username=\"alice\"").contains(PASSWORD);
        assertThat(client.getProperty("ssl.truststore.type")).isEqualTo("PEM");
        assertThat(client.getProperty("ssl.truststore.certificates")).isEqualTo("CA");
        assertThat(client.getProperty("ssl.keystore.certificate.chain")).isEqualTo("CERT");
        assertThat(client.getProperty("ssl.keystore.key")).isEqualTo("KEY");
        assertThat(client.getProperty("client.id")).isEqualTo("mirror");
    }

    @Test
    void thePasswordNeverAppearsInDescriptionsOrProblems() throws Exception {
        ConfigLoader.Result result = load("""
                        { type: kafka, bootstrap-servers: "a:9092", security: sasl_plaintext, sasl: { username: alice, password: "${PASSWORD}" }, properties: { "sasl.jaas.config": "x" } }""",
                "{ connection: events, topic: orders }", "{ connection: events, topic: copy }");

        assertThat(problems(result)).containsExactly(
                "connections.events.properties.sasl.jaas.config: is set by the bridge: use security, sasl and tls");
        assertThat(result.problems().toString()).doesNotContain(PASSWORD);
        KafkaConnectionOptions connection = KafkaConnectionOptions.of("events", "a:9092").withSasl(
                KafkaConnectionOptions.Security.SASL_PLAINTEXT, new KafkaConnectionOptions.Sasl(
                        KafkaConnectionOptions.Mechanism.PLAIN, "alice", new io.msgbridge.spi.Secret(PASSWORD)));
        assertThat(connection.toString()).isEqualTo("connection 'events' (kafka a:9092, SASL_PLAINTEXT PLAIN as alice)");
        assertThat(KafkaFailures.scrub("refused " + PASSWORD, connection)).isEqualTo("refused ****");
    }

    @Test
    void reportsEveryConnectionProblemWithWhatIsAllowed() throws Exception {
        ConfigLoader.Result result = load("""
                        { type: kafka, bootstrap-servers: "a", security: sasl_plaintext, properties: { "enable.idempotence": "false", "acks": "1" } }""",
                "{ connection: events, topic: orders }", "{ connection: events, topic: copy }");

        assertThat(problems(result)).containsExactlyInAnyOrder(
                "connections.events.bootstrap-servers: invalid value \"a\": must be HOST:PORT (several as a list or separated by commas)",
                "connections.events.sasl: is required with security: sasl_plaintext (mechanism, username, password)",
                "connections.events.properties.enable.idempotence: is set by the bridge: the sink is idempotent, which keeps a key's order across retries",
                "connections.events.properties.acks: is set by the bridge: the sink uses acks=all");
    }

    @Test
    void reportsEverySourceAndSinkProblemWithWhatIsAllowed() throws Exception {
        ConfigLoader.Result result = load("{ type: kafka, bootstrap-servers: \"a:9092\" }",
                "{ connection: events, topic: \"bad topic\", topics-pattern: \"(\", drain-timeout: 5s }",
                "{ connection: events, topic: \"copy/{name}\", partition: random, compression: brotli }");

        assertThat(String.join("\n", problems(result)))
                .contains("pipelines[0].from.topic: invalid topic \"bad topic\"")
                .contains("pipelines[0].from.topics-pattern: invalid regular expression \"(\"")
                .contains("pipelines[0].from.drain-timeout: applies only with mode: group")
                .contains("pipelines[0].to.topic: invalid topic \"copy/{name}\"")
                .contains("pipelines[0].to.partition")
                .contains("pipelines[0].to.compression");
    }

    @Test
    void validateWarnsOfAKeyOfOneTopicAndOfDeadLettersOnTheSinksTopic() throws Exception {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, """
                connections:
                  events: { type: kafka, bootstrap-servers: ["a:9092"] }
                pipelines:
                  - name: one-topic
                    from: { connection: events, topics: [orders] }
                    to: { connection: events, topic: copy, partition: source }
                    key: topic
                    dead-letter: { connection: events, topic: copy }
                  - name: by-pattern
                    from: { connection: events, topics-pattern: 'orders\\..*' }
                    to: { connection: events, topic: "copy.{topic}" }
                    key: topic
                    dead-letter: { connection: events, topic: dlq.by-pattern }
                """);

        ConfigLoader.Result result = ConfigLoader.load(file, Map.<String, String>of()::get, List.of(new KafkaConnector()));

        assertThat(problems(result)).isEmpty();
        assertThat(result.warnings()).extracting(w -> w.line() + ": " + w.path() + ": " + w.message()).satisfiesExactly(
                w -> assertThat(w).startsWith("7: pipelines[0].key: key: topic is the same for every record, since this "
                        + "source reads one topic or subject"),
                w -> assertThat(w).startsWith("8: pipelines[0].dead-letter: the dead-letter route writes where the sink "
                        + "writes"));
    }
}
