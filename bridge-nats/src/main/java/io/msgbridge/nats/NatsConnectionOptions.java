package io.msgbridge.nats;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A checked {@code connections.NAME} section of {@code type: nats}. Contains no secret in clear:
 * credentials are {@link io.msgbridge.spi.Secret}s or file paths.
 *
 * @param name           the connection's name in the config, used in logs and error messages
 * @param servers        server URLs, at least one
 * @param auth           how to authenticate
 * @param tls            PEM files for TLS, when the section is present
 * @param connectTimeout how long one connect attempt may take
 * @param reconnectWait  the pause between reconnect attempts (the client reconnects forever)
 * @param keyHeader      the header that carries a message's key, {@code Sharding-Key} by default
 * @param clientName     the client name the server shows, when set
 */
public record NatsConnectionOptions(
        String name,
        List<String> servers,
        NatsAuth auth,
        Optional<TlsFiles> tls,
        Duration connectTimeout,
        Duration reconnectWait,
        String keyHeader,
        Optional<String> clientName) {

    /** The header that carries the message key unless {@code key-header} says otherwise. */
    public static final String DEFAULT_KEY_HEADER = "Sharding-Key";

    public NatsConnectionOptions {
        Objects.requireNonNull(name, "name");
        servers = List.copyOf(servers);
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(reconnectWait, "reconnectWait");
        Objects.requireNonNull(keyHeader, "keyHeader");
        Objects.requireNonNull(clientName, "clientName");
    }

    /** Options with defaults for everything but the name and servers; for tests and tools. */
    public static NatsConnectionOptions of(String name, String... servers) {
        return new NatsConnectionOptions(name, List.of(servers), new NatsAuth.None(), Optional.empty(),
                Duration.ofSeconds(5), Duration.ofSeconds(2), DEFAULT_KEY_HEADER, Optional.empty());
    }

    public NatsConnectionOptions withAuth(NatsAuth newAuth) {
        return new NatsConnectionOptions(name, servers, newAuth, tls, connectTimeout, reconnectWait, keyHeader, clientName);
    }

    public NatsConnectionOptions withKeyHeader(String newKeyHeader) {
        return new NatsConnectionOptions(name, servers, auth, tls, connectTimeout, reconnectWait, newKeyHeader, clientName);
    }

    public NatsConnectionOptions withReconnectWait(Duration newWait) {
        return new NatsConnectionOptions(name, servers, auth, tls, connectTimeout, newWait, keyHeader, clientName);
    }

    public NatsConnectionOptions withConnectTimeout(Duration newTimeout) {
        return new NatsConnectionOptions(name, servers, auth, tls, newTimeout, reconnectWait, keyHeader, clientName);
    }

    /**
     * Secret-free, for logs and errors: {@code connection 'local' (nats://127.0.0.1:4222)}. User
     * information inside a server URL ({@code nats://u:p@host}) is masked.
     */
    public String describe() {
        return "connection '" + name + "' (" + String.join(",", servers).replaceAll("//[^/@,]*@", "//****@") + ")";
    }

    /** Like {@link #describe()}, with the kind of auth (a token or user in a server URL too); never a secret. */
    @Override
    public String toString() {
        return describe() + " with " + authDescription();
    }

    /** The kind of auth, for logs and errors; credentials in a server URL ({@code nats://TOKEN@host}) count. */
    public String authDescription() {
        return auth instanceof NatsAuth.None && servers.stream().anyMatch(s -> s.matches(".*//[^/@,]+@.*"))
                ? "credentials in the server URL" : auth.describe();
    }
}
