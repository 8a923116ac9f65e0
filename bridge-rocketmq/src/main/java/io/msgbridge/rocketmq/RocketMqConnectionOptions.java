package io.msgbridge.rocketmq;

import io.msgbridge.spi.Secret;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A checked {@code connections.NAME} section of {@code type: rocketmq}. Holds no secret in clear.
 *
 * @param name             the connection's name in the config, used in logs and error messages
 * @param nameServers      the NameServer addresses, {@code host:port} each
 * @param credentials      ACL credentials, when the cluster authenticates clients
 * @param namespace        the namespace the client prefixes to topics and groups, when one is used
 * @param tls              TLS to the brokers and NameServers, when on
 * @param clientId         the first part of each client's instance name (shown by RocketMQ's tools)
 * @param operationTimeout how long one request to a NameServer or broker (routes, offsets) may take
 */
public record RocketMqConnectionOptions(String name, List<String> nameServers, Optional<Credentials> credentials,
                                        Optional<String> namespace, Optional<Tls> tls, String clientId,
                                        Duration operationTimeout) {
    public static final String DEFAULT_CLIENT_ID = "msgbridge";
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(3);

    /** ACL credentials: the access key is an identity (logged), the secret key is a secret (never shown). */
    public record Credentials(String accessKey, Secret secretKey) {
        public Credentials {
            Objects.requireNonNull(accessKey, "accessKey");
            Objects.requireNonNull(secretKey, "secretKey");
        }
    }

    /** TLS: {@code ca} is the PEM file of the CA that signed the servers' certificates; empty means the JDK's trust store. */
    public record Tls(Optional<Path> ca) {
        public Tls {
            Objects.requireNonNull(ca, "ca");
        }
    }

    public RocketMqConnectionOptions {
        Objects.requireNonNull(name, "name");
        nameServers = List.copyOf(nameServers);
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(operationTimeout, "operationTimeout");
    }

    /** Options with defaults for everything but name and NameServers; for tests and tools. */
    public static RocketMqConnectionOptions of(String name, String... nameServers) {
        return new RocketMqConnectionOptions(name, List.of(nameServers), Optional.empty(), Optional.empty(), Optional.empty(),
                DEFAULT_CLIENT_ID, DEFAULT_OPERATION_TIMEOUT);
    }

    public RocketMqConnectionOptions withCredentials(String accessKey, String secretKey) {
        return new RocketMqConnectionOptions(name, nameServers, Optional.of(new Credentials(accessKey, new Secret(secretKey))),
                namespace, tls, clientId, operationTimeout);
    }

    public RocketMqConnectionOptions withNamespace(String namespace) {
        return new RocketMqConnectionOptions(name, nameServers, credentials, Optional.of(namespace), tls, clientId, operationTimeout);
    }

    /** The NameServer list as the client takes it ({@code a:9876;b:9876}). */
    String nameServerAddress() {
        return String.join(";", nameServers);
    }

    /** Secret-free: {@code connection 'events' (rocketmq 127.0.0.1:9876 as alice)}. */
    public String describe() {
        return "connection '" + name + "' (rocketmq " + String.join(",", nameServers)
                + credentials.map(c -> " as " + c.accessKey()).orElse("") + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
