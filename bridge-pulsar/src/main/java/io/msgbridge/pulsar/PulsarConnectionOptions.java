package io.msgbridge.pulsar;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A checked {@code connections.NAME} section of {@code type: pulsar}. Holds no secret in clear.
 *
 * @param name             the connection's name in the config, used in logs and error messages
 * @param serviceUrl       {@code pulsar://host:6650} or {@code pulsar+ssl://...}; several hosts
 *                         separated by commas ({@code pulsar://a:6650,b:6650})
 * @param auth             how to authenticate
 * @param tlsCa            the PEM file of the CA that signed the broker's certificate, when TLS is used
 * @param connectTimeout   how long one connect attempt may take
 * @param operationTimeout how long lookups, subscribes and producer creation may take
 * @param adminUrl         the broker's admin REST API ({@code http://host:8080}, {@code https://...}), where
 *                         a source reads its subscription's backlog (its lag); without it the lag is unknown
 */
public record PulsarConnectionOptions(String name, String serviceUrl, PulsarAuth auth, Optional<Path> tlsCa,
                                      Duration connectTimeout, Duration operationTimeout, Optional<URI> adminUrl) {

    public PulsarConnectionOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(serviceUrl, "serviceUrl");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(tlsCa, "tlsCa");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(operationTimeout, "operationTimeout");
        Objects.requireNonNull(adminUrl, "adminUrl");
    }

    /** Options with defaults for everything but name and URL; for tests and tools. */
    public static PulsarConnectionOptions of(String name, String serviceUrl) {
        return new PulsarConnectionOptions(name, serviceUrl, new PulsarAuth.None(), Optional.empty(),
                Duration.ofSeconds(5), Duration.ofSeconds(10), Optional.empty());
    }

    public PulsarConnectionOptions withAuth(PulsarAuth newAuth) {
        return new PulsarConnectionOptions(name, serviceUrl, newAuth, tlsCa, connectTimeout, operationTimeout, adminUrl);
    }

    public PulsarConnectionOptions withAdminUrl(URI url) {
        return new PulsarConnectionOptions(name, serviceUrl, auth, tlsCa, connectTimeout, operationTimeout, Optional.of(url));
    }

    /** Secret-free: {@code connection 'events' (pulsar://127.0.0.1:6650)}; user info in the URL is masked. */
    public String describe() {
        return "connection '" + name + "' (" + serviceUrl.replaceAll("//[^/@,]*@", "//****@") + ")";
    }

    @Override
    public String toString() {
        return describe() + " with " + auth.describe();
    }
}
