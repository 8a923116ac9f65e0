package io.msgbridge.pulsar;

import io.msgbridge.spi.PermanentException;
import org.apache.pulsar.client.api.AuthenticationFactory;
import org.apache.pulsar.client.api.ClientBuilder;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Builds a {@link PulsarClient} from connection options. Building does not connect. */
final class PulsarClients {
    private PulsarClients() {
    }

    static PulsarClient create(PulsarConnectionOptions options, String where) {
        ClientBuilder builder = PulsarClient.builder()
                .serviceUrl(options.serviceUrl())
                .connectionTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()), TimeUnit.MILLISECONDS)
                .operationTimeout((int) Math.min(Integer.MAX_VALUE, options.operationTimeout().toMillis()), TimeUnit.MILLISECONDS)
                .ioThreads(1)
                .listenerThreads(1)
                .statsInterval(0, TimeUnit.SECONDS);
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

    private static String readToken(Path file) {
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
