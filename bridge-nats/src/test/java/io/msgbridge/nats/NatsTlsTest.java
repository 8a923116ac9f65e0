package io.msgbridge.nats;

import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.testing.TestCertificates;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS from PEM files against a real nats-server that verifies client certificates (mutual TLS). The
 * certificates are made for the test with openssl ({@link TestCertificates}).
 */
@Tag("integration")
class NatsTlsTest {
    @TempDir
    static Path dir;

    private static NatsTestServer server;

    private static TestCertificates certificates;

    @BeforeAll
    static void certificatesAndServer() throws Exception {
        certificates = TestCertificates.create(dir, "server", "client");
        // The handshake timeout is raised from nats-server's 2 s: a cold JVM's first TLS handshake on a
        // loaded 2-core machine can take longer than that.
        Path conf = dir.resolve("nats-tls.conf");
        java.nio.file.Files.writeString(conf, """
                tls {
                  cert_file: "%s"
                  key_file: "%s"
                  ca_file: "%s"
                  verify: true
                  timeout: 30
                }
                """.formatted(certificates.certificate("server"), certificates.key("server"), certificates.ca()));
        server = NatsTestServer.start("-c", conf.toString());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static NatsConnectionOptions options(TlsFiles tls) {
        NatsConnectionOptions plain = NatsConnectionOptions.of("secure", "tls://127.0.0.1:" + server.port())
                .withConnectTimeout(Duration.ofSeconds(30));
        return new NatsConnectionOptions(plain.name(), plain.servers(), plain.auth(), Optional.of(tls),
                plain.connectTimeout(), plain.reconnectWait(), plain.keyHeader(), plain.clientName());
    }

    @Test
    void connectsWithACaAndAClientCertificateFromPemFilesAndCarriesMessages() throws Exception {
        TlsFiles tls = new TlsFiles(Optional.of(certificates.ca()), Optional.of(certificates.certificate("client")),
                Optional.of(certificates.key("client")));
        NatsConnectionOptions options = options(tls);
        Connection connection = NatsConnectionFactory.connect(options, "tls-test",
                new ConnectionEvents("tls-test", "test", options), ConnectionUse.RECEIVER);
        try {
            Subscription subscription = connection.subscribe("tls.check");
            connection.publish("tls.check", "over tls".getBytes(StandardCharsets.UTF_8));
            Message message = subscription.nextMessage(Duration.ofSeconds(5));
            assertThat(message).isNotNull();
            assertThat(new String(message.getData(), StandardCharsets.UTF_8)).isEqualTo("over tls");
        } finally {
            connection.close();
        }
    }

    @Test
    void aServerThatWantsAClientCertificateRefusesAConnectionWithoutOneAndTheErrorNamesTheConnection() {
        TlsFiles caOnly = new TlsFiles(Optional.of(certificates.ca()), Optional.empty(), Optional.empty());
        NatsConnectionOptions options = options(caOnly);

        assertThatThrownBy(() -> NatsConnectionFactory.connect(options, "tls-test",
                new ConnectionEvents("tls-test", "test", options), ConnectionUse.RECEIVER))
                .isInstanceOfAny(RetriableException.class, PermanentException.class)
                .hasMessageContaining("connection 'secure'");
    }
}
