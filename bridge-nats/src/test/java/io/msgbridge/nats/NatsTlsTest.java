package io.msgbridge.nats;

import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS from PEM files against a real nats-server that verifies client certificates (mutual TLS). The
 * certificates are made for the test with openssl.
 */
class NatsTlsTest {
    @TempDir
    static Path dir;

    private static NatsTestServer server;

    private static void openssl(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(args)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl failed: " + String.join(" ", args));
        }
    }

    @BeforeAll
    static void certificatesAndServer() throws Exception {
        openssl("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=bridge-test-ca",
                "-keyout", "ca.key", "-out", "ca.pem");
        for (String name : List.of("server", "client")) {
            openssl("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name, "-keyout", name + ".rsa.key",
                    "-out", name + ".csr");
            java.nio.file.Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
            openssl("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-days", "2", "-extfile", name + ".ext", "-out", name + ".pem");
            openssl("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", name + ".rsa.key", "-out", name + ".key");
        }
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
                """.formatted(dir.resolve("server.pem"), dir.resolve("server.key"), dir.resolve("ca.pem")));
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
        TlsFiles tls = new TlsFiles(Optional.of(dir.resolve("ca.pem")), Optional.of(dir.resolve("client.pem")),
                Optional.of(dir.resolve("client.key")));
        NatsConnectionOptions options = options(tls);
        Connection connection = NatsConnectionFactory.connect(options, "tls-test",
                new ConnectionEvents("tls-test", "test", options));
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
        TlsFiles caOnly = new TlsFiles(Optional.of(dir.resolve("ca.pem")), Optional.empty(), Optional.empty());
        NatsConnectionOptions options = options(caOnly);

        assertThatThrownBy(() -> NatsConnectionFactory.connect(options, "tls-test",
                new ConnectionEvents("tls-test", "test", options)))
                .isInstanceOfAny(RetriableException.class, PermanentException.class)
                .hasMessageContaining("connection 'secure'");
    }
}
