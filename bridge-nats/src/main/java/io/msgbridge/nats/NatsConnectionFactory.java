package io.msgbridge.nats;

import io.msgbridge.backend.PemSslContext;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;
import io.nats.client.AuthenticationException;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;

/**
 * Opens jnats connections from {@link NatsConnectionOptions}, set up for their {@link ConnectionUse}
 * (who reconnects, whether incoming header blocks are guarded), and maps a failed connect to the
 * SPI's exceptions without ever naming a secret.
 */
final class NatsConnectionFactory {

    private NatsConnectionFactory() {
    }

    /**
     * Connects. Blocks up to about the connect timeout per server.
     *
     * @throws RetriableException when no server can be reached now
     * @throws PermanentException when the server refuses the credentials or the TLS or auth files
     *                            cannot be read
     */
    static Connection connect(NatsConnectionOptions options, String pipeline, ConnectionEvents events, ConnectionUse use)
            throws InterruptedException {
        return connect(options, pipeline, events, use, Optional.empty());
    }

    /**
     * Like {@link #connect(NatsConnectionOptions, String, ConnectionEvents, ConnectionUse)}, with the time
     * after which an asynchronous request (a JetStream {@code publishAsync}) that has no reply fails:
     * jnats gives such a request its {@code requestCleanupInterval}, not the JetStream request timeout.
     */
    static Connection connect(NatsConnectionOptions options, String pipeline, ConnectionEvents events, ConnectionUse use,
                              Optional<Duration> requestTimeout) throws InterruptedException {
        Options natsOptions = build(options, pipeline, events, use, requestTimeout);
        try {
            return Nats.connect(natsOptions);
        } catch (AuthenticationException e) {
            throw new PermanentException(pipeline + ": nats " + options.describe() + " refused the credentials ("
                    + options.authDescription() + "): " + safeMessage(e, options), null);
        } catch (IOException e) {
            throw new RetriableException(pipeline + ": nats " + options.describe() + " cannot be reached: " + safeMessage(e, options), null);
        }
    }

    static Options build(NatsConnectionOptions options, String pipeline, ConnectionEvents events, ConnectionUse use,
                         Optional<Duration> requestTimeout) {
        Options.Builder builder = new Options.Builder()
                .servers(options.servers().toArray(String[]::new))
                .connectionTimeout(options.connectTimeout())
                .reconnectWait(options.reconnectWait())
                .maxReconnects(use.clientReconnects() ? -1 : 0)
                // Without a reconnect buffer, a publish made while the connection is going down fails at
                // once instead of being queued on a connection that will never send it: jnats fails the
                // requests it knows of when it closes, but one queued just after that would never complete.
                .reconnectBufferSize(use.clientReconnects() ? Options.DEFAULT_RECONNECT_BUF_SIZE : 0)
                // A JetStream publish is a request; by default jnats ends its writer's batch at every
                // request, so each publish was a socket write of its own. The writer still writes what
                // it holds once its queue runs empty.
                .dontForceFlushOnRequest()
                .connectionName(options.clientName().orElse("msgbridge:" + pipeline))
                .connectionListener(events)
                .errorListener(events);
        requestTimeout.or(use::requestCleanup).ifPresent(builder::requestCleanupInterval);
        if (use.guardsHeaders()) {
            builder.dataPortType(HeaderGuardDataPort.class.getName());
        }
        switch (options.auth()) {
            case NatsAuth.None none -> { }
            case NatsAuth.Token token -> builder.token(token.token().revealChars());
            case NatsAuth.UserPassword up -> builder.userInfo(up.user().toCharArray(), up.password().revealChars());
            case NatsAuth.NKeySeedFile seed -> builder.authHandler(Nats.staticCredentials(null, readSeed(options, seed)));
            case NatsAuth.CredsFile creds -> builder.authHandler(Nats.credentials(creds.file().toString()));
        }
        options.tls().ifPresent(tls -> {
            try {
                builder.sslContext(PemSslContext.create(tls.ca(), tls.cert(), tls.key()));
            } catch (IOException | GeneralSecurityException e) {
                throw new PermanentException(pipeline + ": nats " + options.describe() + ": cannot build TLS from the PEM files: "
                        + e.getMessage(), null);
            }
        });
        return builder.build();
    }

    private static char[] readSeed(NatsConnectionOptions options, NatsAuth.NKeySeedFile seed) {
        try {
            return Files.readString(seed.file(), StandardCharsets.US_ASCII).trim().toCharArray();
        } catch (IOException e) {
            throw new PermanentException("nats " + options.describe() + ": cannot read nkey-seed-file " + seed.file()
                    + ": " + e.getClass().getSimpleName(), null);
        }
    }

    /** The exception's message with anything that could be a secret of these options removed. */
    private static String safeMessage(Exception e, NatsConnectionOptions options) {
        String message = String.valueOf(e.getMessage());
        message = switch (options.auth()) {
            case NatsAuth.Token token -> token.token().hideIn(message);
            case NatsAuth.UserPassword up -> up.password().hideIn(message);
            default -> message;
        };
        return message.replaceAll("//[^/@,\\s]*@", "//****@");
    }

    /** Closes, restoring the interrupt flag if interrupted meanwhile. Never throws. */
    static void closeQuietly(Connection conn) {
        try {
            conn.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
