package io.msgbridge.pulsar;

import io.msgbridge.backend.BackendSinkSpec;
import io.msgbridge.backend.BackendSourceSpec;
import io.msgbridge.config.BridgeConfig;
import io.msgbridge.config.ConfigLoader;
import io.msgbridge.config.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading {@code type: pulsar} sections through the real config loader. */
class PulsarConfigReaderTest {
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
        return ConfigLoader.load(file, Map.of("TOKEN", "s3cr3t-token-value")::get, List.of(new PulsarConnector()));
    }

    private static List<String> problems(ConfigLoader.Result result) {
        return result.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }

    @Test
    void readsEveryKeyIntoTypedOptions() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "x");
        ConfigLoader.Result result = load("""
                        { type: pulsar, service-url: "pulsar+ssl://a:6651,b:6651", auth: { token: "${TOKEN}" }, tls: { ca: ca.pem }, connect-timeout: 2s, operation-timeout: 7s, admin-url: "https://a:8443/" }""",
                """
                        { connection: events, topics-pattern: "persistent://public/default/orders-.*", subscription: mirror-sub, subscription-type: key_shared, initial-position: latest, receiver-queue: 50, pattern-discovery: 2s }""",
                """
                        { connection: events, topic: "persistent://public/mirror/copy-{name}", rewrite: { pattern: "(.*)-v1", replacement: "$1" }, compression: zstd, batching: { enabled: true, max-delay: 5ms, max-messages: 10, key-based: true }, send-timeout: 3s, block-if-queue-full: false, max-pending-messages: 77, producer-idle-timeout: 30s, dedup: true }""");

        assertThat(problems(result)).isEmpty();
        BridgeConfig config = result.config().orElseThrow();
        BackendSourceSpec<?, ?> source = (BackendSourceSpec<?, ?>) config.pipelines().get(0).source();
        BackendSinkSpec<?, ?> sink = (BackendSinkSpec<?, ?>) config.pipelines().get(0).sink();
        PulsarConnectionOptions connection = (PulsarConnectionOptions) source.connection();
        assertThat(connection.serviceUrl()).isEqualTo("pulsar+ssl://a:6651,b:6651");
        assertThat(connection.auth()).isInstanceOf(PulsarAuth.Token.class);
        assertThat(connection.tlsCa()).contains(dir.resolve("ca.pem"));
        assertThat(connection.operationTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(connection.adminUrl()).contains(URI.create("https://a:8443"));
        assertThat(connection.toString()).doesNotContain("s3cr3t");
        PulsarSourceOptions from = (PulsarSourceOptions) source.options();
        assertThat(from.topicsPattern().orElseThrow().pattern()).isEqualTo("persistent://public/default/orders-.*");
        assertThat(from.subscriptionName("mirror")).isEqualTo("mirror-sub");
        assertThat(from.kind()).isEqualTo(SubscriptionKind.KEY_SHARED);
        assertThat(from.initialPosition()).isEqualTo(StartPosition.LATEST);
        assertThat(from.receiverQueue()).isEqualTo(50);
        PulsarSinkOptions to = (PulsarSinkOptions) sink.options();
        assertThat(to.topic().render("persistent://public/default/orders-v1")).isEqualTo("persistent://public/mirror/copy-orders");
        assertThat(to.compression()).isEqualTo(Compression.ZSTD);
        assertThat(to.batching()).isEqualTo(new Batching(true, Duration.ofMillis(5), 10, true));
        assertThat(to.blockIfQueueFull()).isFalse();
        assertThat(to.maxPendingMessages()).isEqualTo(77);
        assertThat(to.dedup()).isTrue();
    }

    @Test
    void reportsEveryConnectionProblemAtOnceWithoutTheToken() throws Exception {
        ConfigLoader.Result result = load("""
                        { type: pulsar, service-url: "http://a:8080", auth: { token: "${TOKEN}", token-file: missing.token }, admin-url: "pulsar://a:6650" }""",
                "{ connection: events, topic: a }", "{ connection: events, topic: b }");

        List<String> problems = problems(result);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("connections.events.service-url: ").contains("pulsar://HOST:PORT"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("token-file"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("connections.events.admin-url: ").contains("http://HOST:PORT"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("give token or token-file, not both"));
        assertThat(result.problems()).extracting(Problem::message).noneMatch(m -> m.contains("s3cr3t"));
    }

    @Test
    void reportsEverySourceAndSinkProblemAtOnce() throws Exception {
        ConfigLoader.Result result = load("{ type: pulsar, service-url: pulsar://127.0.0.1:6650 }",
                """
                        { connection: events, topics: [a], topics-pattern: "(", subscription-type: sometimes }""",
                """
                        { connection: events, topic: "fixed", rewrite: { pattern: "a", replacement: "b" }, compression: gzip }""");

        List<String> problems = problems(result);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("topics-pattern").contains("invalid regular expression"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("subscription-type"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("rewrite").contains("{topic} or {name}"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("compression"));
    }

    @Test
    void aSourceNeedsTopicsOrAPattern() throws Exception {
        ConfigLoader.Result result = load("{ type: pulsar, service-url: pulsar://127.0.0.1:6650 }",
                "{ connection: events }", "{ connection: events, topic: t }");

        assertThat(problems(result)).anySatisfy(p -> assertThat(p).contains("one of topic, topics or topics-pattern is required"));
    }

    @Test
    void anInvalidTopicIsReportedUnderTheKeyThatHoldsIt() throws Exception {
        ConfigLoader.Result result = load("{ type: pulsar, service-url: pulsar://127.0.0.1:6650 }",
                "{ connection: events, topic: \"a b\" }", "{ connection: events, topic: t }");

        assertThat(problems(result)).contains("pipelines[0].from.topic: invalid topic \"a b\": must not be empty or contain white space");
    }
}
