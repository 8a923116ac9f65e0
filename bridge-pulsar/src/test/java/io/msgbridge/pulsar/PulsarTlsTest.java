package io.msgbridge.pulsar;

import io.msgbridge.spi.BridgeException;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Secret;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import io.msgbridge.testing.TestCertificates;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS against the shared broker's TLS listener ({@code pulsar+ssl://}), with the JWT on top: a client
 * that trusts the broker's CA carries records both ways; one that trusts another CA is refused with an
 * error that names the connection and the certificate problem, never the token.
 */
@Tag("integration")
class PulsarTlsTest {
    @TempDir
    Path dir;

    private static PulsarConnectionOptions tls(Path ca) {
        PulsarTestBroker broker = PulsarTestBroker.shared();
        return new PulsarConnectionOptions("secure", broker.tlsServiceUrl(), new PulsarAuth.Token(new Secret(broker.adminToken())),
                Optional.of(ca), Duration.ofSeconds(5), Duration.ofSeconds(10), Optional.empty());
    }

    @Test
    void aClientTrustingTheBrokersCaPublishesAndConsumesOverTls() throws Exception {
        String topic = SharedPulsar.uniqueTopic("tls");
        PulsarConnectionOptions options = tls(PulsarTestBroker.shared().tlsCa());
        PulsarSink sink = new PulsarSink(options, PulsarSinkOptions.of(topic));
        sink.start(new SinkContext("tls-test", SinkContext.Role.SINK));
        try {
            for (int i = 0; i < 3; i++) {
                Message m = new Message("in", "k", ("over tls " + i).getBytes(StandardCharsets.UTF_8), Headers.EMPTY, null);
                sink.publish(new OutboundRecord(m, "id-" + i, new Position("in", Integer.toString(i), i))).get(30, TimeUnit.SECONDS);
            }
        } finally {
            sink.close();
        }

        PulsarSource source = new PulsarSource(options, PulsarSourceOptions.of(topic));
        source.start(new SourceContext("tls-test", SourceContext.Resume.BROKER, Map.of(), 100));
        try {
            List<String> received = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < 3 && System.nanoTime() < deadline) {
                for (SourceRecord r : source.poll(3, Duration.ofMillis(200))) {
                    received.add(new String(r.message().payload(), StandardCharsets.UTF_8));
                }
            }
            assertThat(received).containsExactly("over tls 0", "over tls 1", "over tls 2");
        } finally {
            source.close();
        }
    }

    @Test
    void aClientTrustingAnotherCaIsRefusedWithAnErrorThatNamesTheConnectionAndTheCertificateProblemButNotTheToken() {
        TestCertificates stranger = TestCertificates.create(dir);
        PulsarConnectionOptions options = tls(stranger.ca());
        String token = PulsarTestBroker.shared().adminToken();
        PulsarSource source = new PulsarSource(options, PulsarSourceOptions.of(SharedPulsar.uniqueTopic("tls-refused")));
        try {
            assertThatThrownBy(() -> source.start(new SourceContext("tls-test", SourceContext.Resume.BROKER, Map.of(), 100)))
                    .isInstanceOf(BridgeException.class)
                    .hasMessageContaining("connection 'secure'")
                    .hasMessageContaining("TLS handshake with 127.0.0.1")
                    .hasMessageContaining("tls.ca")
                    .hasMessageNotContaining(token);
        } finally {
            source.close();
        }
        PulsarSink sink = new PulsarSink(options, PulsarSinkOptions.of(SharedPulsar.uniqueTopic("tls-refused")));
        try {
            assertThatThrownBy(() -> sink.start(new SinkContext("tls-test", SinkContext.Role.SINK)))
                    .isInstanceOf(BridgeException.class)
                    .hasMessageContaining("connection 'secure'")
                    .hasMessageContaining("TLS handshake with 127.0.0.1")
                    .hasMessageNotContaining(token);
        } finally {
            sink.close();
        }
    }
}
