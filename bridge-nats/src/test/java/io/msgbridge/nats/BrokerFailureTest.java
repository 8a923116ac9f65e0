package io.msgbridge.nats;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Secret;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.SourceContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Tests against nats-server child processes that are stopped, restarted or configured with auth. */
@Tag("integration")
class BrokerFailureTest {

    private static OutboundRecord record(int i) {
        return new OutboundRecord(Message.of("in", new byte[] {(byte) i}), "id-" + i, new Position("p", Integer.toString(i), i));
    }

    /** Record {@code i} published again after it failed, as the runtime marks it. */
    private static OutboundRecord retried(int i) {
        return new OutboundRecord(Message.of("in", new byte[] {(byte) i}), null, "id-" + i, new Position("p", Integer.toString(i), i), true);
    }

    @Test
    void aSinkToAStoppedServerFailsRetriableAndSucceedsAfterTheRestart() throws Exception {
        try (NatsTestServer server = NatsTestServer.start()) {
            NatsConnectionOptions connection = NatsConnectionOptions.of("own", server.url());
            CreateStreamOptions stream = new CreateStreamOptions("RESTART", List.of("restart.>"), CreateStreamOptions.Storage.FILE,
                    Duration.ofMinutes(2), Duration.ZERO);
            NatsSink sink = new NatsSink(connection, NatsSinkOptions.of("restart.out", SinkMode.JETSTREAM)
                    .withCreateStream(stream).withAckTimeout(Duration.ofSeconds(1)));
            try {
                sink.start(new SinkContext("p1", SinkContext.Role.SINK));
                assertThat(sink.publish(record(1))).succeedsWithin(10, TimeUnit.SECONDS);

                server.stop();
                await().atMost(Duration.ofSeconds(10)).until(() -> !sink.connected());

                assertThat(sink.publish(record(2))).failsWithin(20, TimeUnit.SECONDS)
                        .withThrowableOfType(ExecutionException.class).havingCause().isInstanceOf(RetriableException.class)
                        .satisfies(e -> assertThat(((RetriableException) e).unavailable()).as("an outage, not the record's fault").isTrue());

                server.restart();
                await().atMost(Duration.ofSeconds(30)).until(sink::connected);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(sink.publish(retried(2))).succeedsWithin(5, TimeUnit.SECONDS));
            } finally {
                sink.close();
            }
        }
    }

    @Test
    void startingAgainstAnUnreachableServerFailsRetriable() throws Exception {
        String url;
        try (NatsTestServer server = NatsTestServer.start()) {
            url = server.url();
        }
        NatsSink sink = new NatsSink(NatsConnectionOptions.of("gone", url).withConnectTimeout(Duration.ofSeconds(1)),
                NatsSinkOptions.of("x", SinkMode.JETSTREAM));

        assertThatThrownBy(() -> sink.start(new SinkContext("p1", SinkContext.Role.SINK)))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining("connection 'gone'");
    }

    @Test
    void rightCredentialsConnectAndWrongOnesFailPermanentlyNamingTheConnectionButNotThePassword() throws Exception {
        try (NatsTestServer server = NatsTestServer.start("--user", "bob", "--pass", "s3cret-pw")) {
            NatsConnectionOptions base = NatsConnectionOptions.of("secured", server.url());
            NatsSink good = new NatsSink(base.withAuth(new NatsAuth.UserPassword("bob", new Secret("s3cret-pw"))),
                    NatsSinkOptions.of("x", SinkMode.CORE));
            try {
                good.start(new SinkContext("p1", SinkContext.Role.SINK));
                assertThat(good.connected()).isTrue();
            } finally {
                good.close();
            }

            CoreNatsSource bad = new CoreNatsSource(base.withAuth(new NatsAuth.UserPassword("bob", new Secret("wrong-pw"))),
                    new CoreSourceOptions(List.of("x"), java.util.Optional.empty(), CoreSourceOptions.DEFAULT_BUFFER));

            assertThatThrownBy(() -> bad.start(new SourceContext("p1", SourceContext.Resume.BROKER, Map.of(), 10)))
                    .isInstanceOf(PermanentException.class)
                    .hasMessageContaining("connection 'secured'")
                    .hasMessageContaining("user bob")
                    .hasMessageNotContaining("wrong-pw")
                    .hasMessageNotContaining("s3cret-pw");
            bad.close();
        }
    }

    @Test
    void aTokenIsSentAndAWrongTokenIsRefusedPermanently() throws Exception {
        try (NatsTestServer server = NatsTestServer.start("--auth", "tok-123")) {
            NatsConnectionOptions base = NatsConnectionOptions.of("tok", server.url());
            NatsSink good = new NatsSink(base.withAuth(new NatsAuth.Token(new Secret("tok-123"))), NatsSinkOptions.of("x", SinkMode.CORE));
            try {
                good.start(new SinkContext("p1", SinkContext.Role.SINK));
                CompletableFuture<Void> published = good.publish(record(1));
                assertThat(published).isCompleted();
            } finally {
                good.close();
            }
            NatsSink bad = new NatsSink(base.withAuth(new NatsAuth.Token(new Secret("tok-bad"))), NatsSinkOptions.of("x", SinkMode.CORE));

            assertThatThrownBy(() -> bad.start(new SinkContext("p1", SinkContext.Role.SINK)))
                    .isInstanceOf(PermanentException.class)
                    .hasMessageNotContaining("tok-bad");
        }
    }
}
