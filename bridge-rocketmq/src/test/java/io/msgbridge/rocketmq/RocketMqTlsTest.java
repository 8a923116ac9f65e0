package io.msgbridge.rocketmq;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import io.msgbridge.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS to the NameServer and broker, trusting the test CA; rocketmq-client keeps one TLS configuration per
 * process, so a second CA is refused with a message that says so.
 */
@Tag("integration")
class RocketMqTlsTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : started) {
            c.close();
        }
    }

    private RocketMqConnectionOptions tls(Path ca) {
        return tls(ca, RocketMqTestBroker.shared().nameServer());
    }

    private static RocketMqConnectionOptions tls(Path ca, String nameServer) {
        RocketMqConnectionOptions plain = RocketMqTestBroker.shared().options("secure");
        return new RocketMqConnectionOptions("secure", List.of(nameServer), plain.credentials(), Optional.empty(),
                Optional.of(new RocketMqConnectionOptions.Tls(Optional.of(ca))), "msgbridge", plain.operationTimeout());
    }

    /** The test broker also takes plain connections, so this checks that the client opens with a TLS handshake. */
    @Test
    void theClientOpensItsConnectionsWithATlsHandshake() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            fake.setSoTimeout(20_000);
            Source source = new RocketMqSource(tls(RocketMqTestBroker.shared().tlsCa(), "127.0.0.1:" + fake.getLocalPort()),
                    RocketMqSourceOptions.of("anything"));
            started.add(source);
            CompletableFuture<Void> start = CompletableFuture.runAsync(() -> {
                try {
                    source.start(new SourceContext("tls-probe", SourceContext.Resume.BROKER, Map.of(), 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try (Socket connection = fake.accept()) {
                connection.setSoTimeout(20_000);
                assertThat(connection.getInputStream().read()).as("first byte: a TLS handshake record (22)").isEqualTo(22);
            }
            assertThat(start).failsWithin(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSinkAndASourceWorkOverTlsAndAnotherCaIsRefusedNamingTheRule() throws Exception {
        RocketMqTestBroker broker = RocketMqTestBroker.shared();
        String topic = RocketMqTestClient.uniqueTopic("tls");
        try (RocketMqTestClient client = new RocketMqTestClient(broker)) {
            client.createTopic(topic);
        }
        Sink sink = new RocketMqSink(tls(broker.tlsCa()), RocketMqSinkOptions.of(topic));
        started.add(sink);
        sink.start(new SinkContext("tls", SinkContext.Role.SINK));
        Message message = new Message(topic, "k", "over tls".getBytes(StandardCharsets.UTF_8), Headers.EMPTY, null);
        assertThat(sink.publish(new OutboundRecord(message, "id", new Position("p", "1", 1)))).succeedsWithin(20, TimeUnit.SECONDS);

        Source source = new RocketMqSource(tls(broker.tlsCa()), RocketMqSourceOptions.of(topic));
        started.add(source);
        source.start(new SourceContext("tls", SourceContext.Resume.BROKER, Map.of(), 100));
        List<SourceRecord> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (records.isEmpty() && System.nanoTime() < deadline) {
            records.addAll(source.poll(10, Duration.ofMillis(200)));
        }
        assertThat(records).extracting(r -> new String(r.message().payload(), StandardCharsets.UTF_8)).containsExactly("over tls");

        Path foreign = TestCertificates.create(dir, "other").ca();
        Sink other = new RocketMqSink(tls(foreign), RocketMqSinkOptions.of(topic));
        started.add(other);
        assertThatThrownBy(() -> other.start(new SinkContext("other", SinkContext.Role.SINK)))
                .isInstanceOf(PermanentException.class).hasMessageContaining("one TLS CA per process")
                .hasMessageContaining("connection 'secure'");
    }
}
