package io.msgbridge.pulsar;

import io.msgbridge.backend.PemSslContext;
import io.msgbridge.spi.PermanentException;
import org.apache.pulsar.client.api.AuthenticationFactory;
import org.apache.pulsar.client.api.ClientBuilder;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.SizeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Builds a {@link PulsarClient} from connection options. Building does not connect. */
final class PulsarClients {
    private static final String TLS_SCHEME = "pulsar+ssl://";
    private static final int DEFAULT_TLS_PORT = 6651;

    private PulsarClients() {
    }

    /**
     * A client whose producers and consumers together hold at most about {@code memoryLimit} bytes of
     * messages (the client's {@code memoryLimit}: producers' unconfirmed messages, consumers' receiver
     * queues when they scale them). One message larger than the limit still goes through, alone.
     */
    static PulsarClient create(PulsarConnectionOptions options, String where, long memoryLimit) {
        ClientBuilder builder = PulsarClient.builder()
                .serviceUrl(options.serviceUrl())
                .connectionTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()), TimeUnit.MILLISECONDS)
                .operationTimeout((int) Math.min(Integer.MAX_VALUE, options.operationTimeout().toMillis()), TimeUnit.MILLISECONDS)
                .ioThreads(1)
                .listenerThreads(1)
                .statsInterval(0, TimeUnit.SECONDS)
                .memoryLimit(memoryLimit, SizeUnit.BYTES);
        switch (options.auth()) {
            case PulsarAuth.None none -> { }
            case PulsarAuth.Token token -> builder.authentication(AuthenticationFactory.token(token.token().reveal()));
            case PulsarAuth.TokenFile file -> builder.authentication(AuthenticationFactory.token(() -> readToken(file.file())));
        }
        options.tlsCa().ifPresent(ca -> builder.tlsTrustCertsFilePath(ca.toString()));
        try {
            return builder.build();
        } catch (PulsarClientException e) {
            throw new PermanentException(where + ": cannot configure the Pulsar client: " + e.getMessage(), e);
        }
    }

    /**
     * {@code what}, with the reason when it is a TLS handshake that fails. The Pulsar client reports a
     * refused handshake only as "Connection already closed", so on a {@code pulsar+ssl} URL this does a
     * handshake of its own with the first host, trusting the same CA, and names what the JDK found
     * (e.g. "PKIX path building failed").
     */
    static String explain(PulsarConnectionOptions options, String what) {
        return tlsProblem(options).map(problem -> what + " (" + problem + ")").orElse(what);
    }

    static Optional<String> tlsProblem(PulsarConnectionOptions options) {
        String url = options.serviceUrl();
        if (!url.startsWith(TLS_SCHEME)) {
            return Optional.empty();
        }
        String first = url.substring(TLS_SCHEME.length()).split("[,/]", 2)[0];
        int colon = first.lastIndexOf(':');
        String host = colon < 0 ? first : first.substring(0, colon);
        int port = colon < 0 ? DEFAULT_TLS_PORT : Integer.parseInt(first.substring(colon + 1));
        int timeout = (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis());
        try {
            SSLContext context = PemSslContext.create(options.tlsCa(), Optional.empty(), Optional.empty());
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress(host, port), timeout);
                socket.setSoTimeout(timeout);
                socket.startHandshake();
            }
            return Optional.empty();
        } catch (SSLException e) {
            return Optional.of("the TLS handshake with " + host + ":" + port + " fails: " + e.getMessage()
                    + "; check that tls.ca names the CA that signed the broker's certificate");
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static String readToken(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read token file " + file, e);
        }
    }

    static void closeQuietly(PulsarClient client) {
        if (client == null) {
            return;
        }
        try {
            client.closeAsync().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            try {
                client.shutdown();
            } catch (PulsarClientException ignored) {
                // nothing more to release
            }
        }
    }
}
