package io.msgbridge.nats;

import io.msgbridge.config.Secret;
import io.msgbridge.spi.Connector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class NatsConfigReaderTest {

    @Test
    void theConnectorIsFoundWithServiceLoaderByTypeNats() {
        assertThat(ServiceLoader.load(Connector.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(c -> assertThat(c.type()).isEqualTo("nats"));
    }

    @Test
    void aMinimalConnectionGetsTheDocumentedDefaults() {
        MapConfigNode node = MapConfigNode.of("connections.local", Map.of("servers", "nats://127.0.0.1:4222"));

        NatsConnectionOptions options = NatsConfigReader.connection("local", node);

        assertThat(node.problems()).isEmpty();
        assertThat(options.servers()).containsExactly("nats://127.0.0.1:4222");
        assertThat(options.auth()).isInstanceOf(NatsAuth.None.class);
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.reconnectWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.keyHeader()).isEqualTo("Sharding-Key");
        assertThat(options.tls()).isEmpty();
    }

    @Test
    void aConnectionWithoutServersIsAProblem() {
        MapConfigNode node = MapConfigNode.of("connections.local", Map.of());

        NatsConfigReader.connection("local", node);

        assertThat(node.problems()).singleElement().asString().startsWith("connections.local.servers: is required");
    }

    @Test
    void moreThanOneAuthMechanismIsAProblemThatNamesThemButNoSecret() {
        MapConfigNode node = MapConfigNode.of("connections.local", Map.of(
                "servers", List.of("nats://a:4222", "nats://b:4222"), "token", "tok-value", "user", "bob", "password", "pw-value"));

        NatsConfigReader.connection("local", node);

        assertThat(node.problems()).singleElement().asString()
                .contains("only one of token, user+password, nkey-seed-file, creds-file")
                .contains("token, user+password")
                .doesNotContain("tok-value").doesNotContain("pw-value");
    }

    @Test
    void userWithoutPasswordIsAProblem() {
        MapConfigNode node = MapConfigNode.of("c", Map.of("servers", "nats://a:4222", "user", "bob"));

        NatsConfigReader.connection("c", node);

        assertThat(node.problems()).containsExactly("c.password: is required with user");
    }

    @Test
    void describeAndToStringOfAConnectionNeverShowTheSecret() {
        MapConfigNode node = MapConfigNode.of("c", Map.of("servers", "nats://bob:pw-in-url@a:4222", "user", "bob", "password", "pw-value"));

        NatsConnectionOptions options = NatsConfigReader.connection("c", node);

        assertThat(options.auth()).isEqualTo(new NatsAuth.UserPassword("bob", new Secret("pw-value")));
        assertThat(options.describe() + options).doesNotContain("pw-value").doesNotContain("pw-in-url").contains("user bob");
    }

    @Test
    void aTokenInTheServerUrlIsDescribedAsCredentialsNotAsNoAuth() {
        NatsConnectionOptions options = NatsConfigReader.connection("c", MapConfigNode.of("c", Map.of("servers", "nats://s3cret@a:4222")));

        assertThat(options.toString()).isEqualTo("connection 'c' (nats://****@a:4222) with credentials in the server URL");
    }

    @Test
    void aTlsSectionReadsPemFilesAndWantsCertAndKeyTogether(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        MapConfigNode node = MapConfigNode.of("c", Map.of("servers", "tls://a:4222", "tls", Map.of("ca", ca.toString(), "cert", cert.toString())));

        NatsConnectionOptions options = NatsConfigReader.connection("c", node);

        assertThat(options.tls()).contains(new TlsFiles(Optional.of(ca), Optional.of(cert), Optional.empty()));
        assertThat(node.problems()).containsExactly("c.tls: cert and key go together: give both or neither");
    }

    @Test
    void aStreamKeySelectsJetStreamWithDefaults() {
        MapConfigNode from = MapConfigNode.of("pipelines[0].from", Map.of("stream", "ORDERS"));

        NatsSourceOptions options = NatsConfigReader.source(from);

        assertThat(from.problems()).isEmpty();
        assertThat(options).isEqualTo(JetStreamSourceOptions.of("ORDERS"));
        assertThat(options.describe()).isEqualTo("nats:stream ORDERS");
        assertThat(((JetStreamSourceOptions) options).durableName("orders.copy")).isEqualTo("bridge-orders_copy");
    }

    @Test
    void jetStreamSourceReadsEveryOption() {
        MapConfigNode from = MapConfigNode.of("f", Map.of("stream", "ORDERS", "durable", "d1", "filter-subjects", List.of("orders.a", "orders.b"),
                "batch", "64", "ack-wait", "30s", "deliver", "new"));

        JetStreamSourceOptions options = (JetStreamSourceOptions) NatsConfigReader.source(from);

        assertThat(from.problems()).isEmpty();
        assertThat(options).isEqualTo(new JetStreamSourceOptions("ORDERS", Optional.of("d1"), List.of("orders.a", "orders.b"), 64,
                Duration.ofSeconds(30), JetStreamSourceOptions.DeliverFrom.NEW));
    }

    @Test
    void coreSubjectsWithStreamOrJetStreamKeysWithoutStreamAreProblems() {
        MapConfigNode both = MapConfigNode.of("f", Map.of("stream", "S", "subject", "a.b"));
        NatsConfigReader.source(both);
        MapConfigNode coreWithBatch = MapConfigNode.of("g", Map.of("subject", "a.b", "batch", "5"));
        NatsConfigReader.source(coreWithBatch);

        assertThat(both.problems()).singleElement().asString().startsWith("f.subject: applies only to a core NATS source");
        assertThat(coreWithBatch.problems()).singleElement().asString().startsWith("g.batch: applies only to a JetStream source");
    }

    @Test
    void aCoreSourceJoinsItsSubjectsIntoItsPartition() {
        MapConfigNode from = MapConfigNode.of("f", Map.of("subjects", List.of("orders.>", "payments.*"), "queue-group", "bridge"));

        CoreSourceOptions options = (CoreSourceOptions) NatsConfigReader.source(from);

        assertThat(from.problems()).isEmpty();
        assertThat(options.queueGroup()).contains("bridge");
        assertThat(options.partition()).isEqualTo("orders.>,payments.*");
        assertThat(options.describe()).isEqualTo("nats:orders.>,payments.*");
        assertThat(options.buffer()).isEqualTo(CoreSourceOptions.DEFAULT_BUFFER);
    }

    @Test
    void aCoreSourceBufferIsItsOwnSettingAndBelongsOnlyToCoreNats() {
        MapConfigNode core = MapConfigNode.of("f", Map.of("subject", "a.b", "buffer", "50000"));
        MapConfigNode jetStream = MapConfigNode.of("g", Map.of("stream", "S", "buffer", "50000"));

        CoreSourceOptions options = (CoreSourceOptions) NatsConfigReader.source(core);
        NatsConfigReader.source(jetStream);

        assertThat(core.problems()).isEmpty();
        assertThat(options.buffer()).isEqualTo(50_000);
        assertThat(jetStream.problems()).singleElement().asString().startsWith("g.buffer: applies only to a core NATS source");
    }

    @Test
    void aSourceWithoutSubjectOrStreamIsAProblem() {
        MapConfigNode from = MapConfigNode.of("f", Map.of());

        NatsConfigReader.source(from);

        assertThat(from.problems()).containsExactly("f: one of subject, subjects (core NATS) or stream (JetStream) is required");
    }

    @Test
    void aSinkDefaultsToJetStreamAndDescribesItsTemplate() {
        MapConfigNode to = MapConfigNode.of("t", Map.of("subject", "mirror.{subject}"));

        NatsSinkOptions options = NatsConfigReader.sink(to);

        assertThat(to.problems()).isEmpty();
        assertThat(options.mode()).isEqualTo(SinkMode.JETSTREAM);
        assertThat(options.describe()).isEqualTo("nats-jetstream:mirror.{subject}");
    }

    @Test
    void aSinkReadsCreateStream() {
        MapConfigNode to = MapConfigNode.of("t", Map.of("subject", "dlq.x", "create-stream",
                Map.of("name", "DLQ", "subjects", List.of("dlq.>"), "storage", "memory", "duplicate-window", "5m", "max-age", "0s")));

        NatsSinkOptions options = NatsConfigReader.sink(to);

        assertThat(to.problems()).isEmpty();
        assertThat(options.createStream()).contains(new CreateStreamOptions("DLQ", List.of("dlq.>"), CreateStreamOptions.Storage.MEMORY,
                Duration.ofMinutes(5), Duration.ZERO));
    }

    @Test
    void aSinkSubjectWithAWildcardOrCreateStreamInCoreModeIsAProblem() {
        MapConfigNode to = MapConfigNode.of("t", Map.of("subject", "mirror.>", "mode", "core",
                "create-stream", Map.of("name", "S", "subjects", "mirror.>")));

        NatsConfigReader.sink(to);

        assertThat(to.problems()).containsExactly(
                "t.subject: invalid subject \"mirror.>\": must not contain wildcards: a sink publishes to a literal subject",
                "t.create-stream: applies only to mode: jetstream");
    }

    @Test
    void theConnectorBuildsSpecsThatDescribeThemselves() {
        Connector.ConnectionSpec spec = new NatsConnector().connection("local", MapConfigNode.of("c", Map.of("servers", "nats://a:4222")));

        assertThat(spec.source(MapConfigNode.of("f", Map.of("subject", "orders.>"))).describe()).isEqualTo("nats:orders.>");
        assertThat(spec.source(MapConfigNode.of("f", Map.of("stream", "ORDERS"))).describe()).isEqualTo("nats:stream ORDERS");
        assertThat(spec.sink(MapConfigNode.of("t", Map.of("subject", "m.{subject}", "mode", "core"))).describe()).isEqualTo("nats-core:m.{subject}");
    }
}
