package io.msgbridge.nats;

import io.msgbridge.backend.BackendSinkSpec;
import io.msgbridge.backend.BackendSourceSpec;
import io.msgbridge.config.BridgeConfig;
import io.msgbridge.config.ConfigLoader;
import io.msgbridge.config.PipelineConfig;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Secret;
import io.msgbridge.testing.OnePipelineFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import static io.msgbridge.testing.OnePipelineFile.problems;
import static org.assertj.core.api.Assertions.assertThat;

/** Reading {@code type: nats} sections through the real config loader. */
class NatsConfigReaderTest {
    private static final String CONNECTION = "{ type: nats, servers: nats://127.0.0.1:4222 }";
    private static final String FROM = "{ connection: local, subject: orders }";
    private static final String TO = "{ connection: local, subject: copy }";

    @TempDir
    Path dir;

    private ConfigLoader.Result load(String connection, String from, String to) throws Exception {
        return OnePipelineFile.load(dir, new NatsConnector(), Map.of("TOKEN", "tok-value"), "local", connection, from, to);
    }

    private static PipelineConfig pipeline(ConfigLoader.Result result) {
        assertThat(problems(result)).isEmpty();
        BridgeConfig config = result.config().orElseThrow();
        return config.pipelines().getFirst();
    }

    private NatsConnectionOptions connection(String connection) throws Exception {
        return (NatsConnectionOptions) ((BackendSourceSpec<?, ?>) pipeline(load(connection, FROM, TO)).source()).connection();
    }

    private NatsSourceOptions source(String from) throws Exception {
        return (NatsSourceOptions) ((BackendSourceSpec<?, ?>) pipeline(load(CONNECTION, from, TO)).source()).options();
    }

    private NatsSinkOptions sink(String to) throws Exception {
        return (NatsSinkOptions) ((BackendSinkSpec<?, ?>) pipeline(load(CONNECTION, FROM, to)).sink()).options();
    }

    @Test
    void theConnectorIsFoundWithServiceLoaderByTypeNats() {
        assertThat(ServiceLoader.load(Connector.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(c -> assertThat(c.type()).isEqualTo("nats"));
    }

    @Test
    void aMinimalConnectionGetsTheDocumentedDefaults() throws Exception {
        NatsConnectionOptions options = connection("{ type: nats, servers: nats://127.0.0.1:4222 }");

        assertThat(options.servers()).containsExactly("nats://127.0.0.1:4222");
        assertThat(options.auth()).isInstanceOf(NatsAuth.None.class);
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.reconnectWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.keyHeader()).isEqualTo("Sharding-Key");
        assertThat(options.tls()).isEmpty();
    }

    @Test
    void aConnectionWithoutServersIsAProblem() throws Exception {
        assertThat(problems(load("{ type: nats }", FROM, TO))).singleElement().asString()
                .startsWith("connections.local.servers: is required");
    }

    @Test
    void moreThanOneAuthMechanismIsAProblemThatNamesThemButNoSecret() throws Exception {
        ConfigLoader.Result result = load("""
                { type: nats, servers: [ "nats://a:4222", "nats://b:4222" ], token: "${TOKEN}", user: bob, password: pw-value }""", FROM, TO);

        assertThat(problems(result)).singleElement().asString()
                .contains("only one of token, user+password, nkey-seed-file, creds-file")
                .contains("token, user+password")
                .doesNotContain("tok-value").doesNotContain("pw-value");
    }

    @Test
    void userWithoutPasswordIsAProblem() throws Exception {
        assertThat(problems(load("{ type: nats, servers: nats://a:4222, user: bob }", FROM, TO)))
                .containsExactly("connections.local.password: is required with user");
    }

    @Test
    void describeAndToStringOfAConnectionNeverShowTheSecret() throws Exception {
        NatsConnectionOptions options = connection("{ type: nats, servers: \"nats://bob:pw-in-url@a:4222\", user: bob, password: pw-value }");

        assertThat(options.auth()).isEqualTo(new NatsAuth.UserPassword("bob", new Secret("pw-value")));
        assertThat(options.describe() + options).doesNotContain("pw-value").doesNotContain("pw-in-url").contains("user bob");
    }

    @Test
    void aTokenInTheServerUrlIsDescribedAsCredentialsNotAsNoAuth() throws Exception {
        NatsConnectionOptions options = connection("{ type: nats, servers: \"nats://s3cret@a:4222\" }");

        assertThat(options.toString()).isEqualTo("connection 'local' (nats://****@a:4222) with credentials in the server URL");
    }

    @Test
    void aTlsSectionReadsPemFiles() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");

        NatsConnectionOptions options = connection("{ type: nats, servers: \"tls://a:4222\", tls: { ca: ca.pem, cert: cert.pem, key: key.pem } }");

        assertThat(options.tls()).contains(new TlsFiles(Optional.of(ca), Optional.of(cert), Optional.of(key)));
    }

    @Test
    void aTlsSectionWantsCertAndKeyTogether() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "x");
        Files.writeString(dir.resolve("cert.pem"), "x");

        assertThat(problems(load("{ type: nats, servers: \"tls://a:4222\", tls: { ca: ca.pem, cert: cert.pem } }", FROM, TO)))
                .containsExactly("connections.local.tls: cert and key go together: give both or neither");
    }

    @Test
    void aStreamKeySelectsJetStreamWithDefaults() throws Exception {
        NatsSourceOptions options = source("{ connection: local, stream: ORDERS }");

        assertThat(options).isEqualTo(JetStreamSourceOptions.of("ORDERS"));
        assertThat(options.describe()).isEqualTo("nats:stream ORDERS");
        assertThat(((JetStreamSourceOptions) options).durableName("orders.copy")).isEqualTo("bridge-orders_copy");
    }

    @Test
    void jetStreamSourceReadsEveryOption() throws Exception {
        JetStreamSourceOptions options = (JetStreamSourceOptions) source("""
                { connection: local, stream: ORDERS, durable: d1, filter-subjects: [ orders.a, orders.b ], batch: 64, ack-wait: 30s, deliver: new }""");

        assertThat(options).isEqualTo(new JetStreamSourceOptions("ORDERS", Optional.of("d1"), List.of("orders.a", "orders.b"), 64,
                Duration.ofSeconds(30), JetStreamSourceOptions.DeliverFrom.NEW));
    }

    @Test
    void coreSubjectsWithStreamOrJetStreamKeysWithoutStreamAreProblems() throws Exception {
        assertThat(problems(load(CONNECTION, "{ connection: local, stream: S, subject: a.b }", TO))).singleElement().asString()
                .startsWith("pipelines[0].from.subject: applies only to a core NATS source");
        assertThat(problems(load(CONNECTION, "{ connection: local, subject: a.b, batch: 5 }", TO))).singleElement().asString()
                .startsWith("pipelines[0].from.batch: applies only to a JetStream source");
    }

    @Test
    void aCoreSourceJoinsItsSubjectsIntoItsPartition() throws Exception {
        CoreSourceOptions options = (CoreSourceOptions) source("{ connection: local, subjects: [ \"orders.>\", \"payments.*\" ], queue-group: bridge }");

        assertThat(options.queueGroup()).contains("bridge");
        assertThat(options.partition()).isEqualTo("orders.>,payments.*");
        assertThat(options.describe()).isEqualTo("nats:orders.>,payments.*");
        assertThat(options.buffer()).isEqualTo(CoreSourceOptions.DEFAULT_BUFFER);
    }

    @Test
    void aCoreSourceBufferIsItsOwnSettingAndBelongsOnlyToCoreNats() throws Exception {
        CoreSourceOptions options = (CoreSourceOptions) source("{ connection: local, subject: a.b, buffer: 50000 }");

        assertThat(options.buffer()).isEqualTo(50_000);
        assertThat(problems(load(CONNECTION, "{ connection: local, stream: S, buffer: 50000 }", TO))).singleElement().asString()
                .startsWith("pipelines[0].from.buffer: applies only to a core NATS source");
    }

    @Test
    void aSourceWithoutSubjectOrStreamIsAProblem() throws Exception {
        assertThat(problems(load(CONNECTION, "{ connection: local }", TO)))
                .containsExactly("pipelines[0].from: one of subject, subjects (core NATS) or stream (JetStream) is required");
    }

    @Test
    void aSinkDefaultsToJetStreamAndDescribesItsTemplate() throws Exception {
        NatsSinkOptions options = sink("{ connection: local, subject: \"mirror.{subject}\" }");

        assertThat(options.mode()).isEqualTo(SinkMode.JETSTREAM);
        assertThat(options.describe()).isEqualTo("nats-jetstream:mirror.{subject}");
    }

    @Test
    void aSinkReadsCreateStream() throws Exception {
        NatsSinkOptions options = sink("""
                { connection: local, subject: dlq.x, create-stream: { name: DLQ, subjects: [ "dlq.>" ], storage: memory, duplicate-window: 5m, max-age: 0s } }""");

        assertThat(options.createStream()).contains(new CreateStreamOptions("DLQ", List.of("dlq.>"), CreateStreamOptions.Storage.MEMORY,
                Duration.ofMinutes(5), Duration.ZERO));
    }

    @Test
    void aSinkSubjectWithAWildcardOrCreateStreamInCoreModeIsAProblem() throws Exception {
        ConfigLoader.Result result = load(CONNECTION, FROM, """
                { connection: local, subject: "mirror.>", mode: core, create-stream: { name: S, subjects: "mirror.>" } }""");

        assertThat(problems(result)).containsExactly(
                "pipelines[0].to.subject: invalid subject \"mirror.>\": must not contain wildcards: a sink publishes to a literal subject",
                "pipelines[0].to.create-stream: applies only to mode: jetstream");
    }

    @Test
    void theConnectorBuildsSpecsThatDescribeThemselves() throws Exception {
        assertThat(pipeline(load(CONNECTION, "{ connection: local, subject: \"orders.>\" }", TO)).source().describe()).isEqualTo("nats:orders.>");
        assertThat(pipeline(load(CONNECTION, "{ connection: local, stream: ORDERS }", TO)).source().describe()).isEqualTo("nats:stream ORDERS");
        assertThat(pipeline(load(CONNECTION, FROM, "{ connection: local, subject: \"m.{subject}\", mode: core }")).sink().describe())
                .isEqualTo("nats-core:m.{subject}");
    }
}
