package io.msgbridge.kafka;

import io.msgbridge.spi.Secret;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A checked {@code connections.NAME} section of {@code type: kafka}. Holds no secret in clear.
 *
 * @param name             the connection's name in the config, used in logs and error messages
 * @param bootstrapServers {@code host:port} of one or more brokers
 * @param security         the listener's protocol
 * @param sasl             mechanism and credentials, with {@code SASL_PLAINTEXT} and {@code SASL_SSL}
 * @param tls              PEM files: the CA that signed the brokers' certificates and an optional client
 *                         certificate with its key, with {@code SSL} and {@code SASL_SSL}
 * @param clientId         the client id the brokers see (quotas, request logs); empty: {@code bridge-<pipeline>}
 * @param requestTimeout   how long one request (and the start's connection check) may take
 * @param properties       further client properties the bridge does not model, passed as they are
 */
public record KafkaConnectionOptions(String name, List<String> bootstrapServers, Security security, Optional<Sasl> sasl,
                                     Optional<Tls> tls, Optional<String> clientId, Duration requestTimeout,
                                     Map<String, String> properties) {

    /** The listener's security protocol, as Kafka's {@code security.protocol} names it. */
    public enum Security {
        PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL;

        boolean sasl() {
            return this == SASL_PLAINTEXT || this == SASL_SSL;
        }

        boolean tls() {
            return this == SSL || this == SASL_SSL;
        }
    }

    /** A SASL mechanism with username and password. */
    public enum Mechanism {
        PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule"),
        SCRAM_SHA_256("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule"),
        SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

        final String kafkaName;
        final String loginModule;

        Mechanism(String kafkaName, String loginModule) {
            this.kafkaName = kafkaName;
            this.loginModule = loginModule;
        }
    }

    /** SASL credentials; the password is a {@link Secret}, never shown. */
    public record Sasl(Mechanism mechanism, String username, Secret password) {
        public Sasl {
            Objects.requireNonNull(mechanism, "mechanism");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }
    }

    /** PEM files for TLS: the CA certificates to trust, and a client certificate chain with its PKCS#8 key. */
    public record Tls(Optional<Path> ca, Optional<Path> cert, Optional<Path> key) {
        public Tls {
            Objects.requireNonNull(ca, "ca");
            Objects.requireNonNull(cert, "cert");
            Objects.requireNonNull(key, "key");
        }
    }

    public KafkaConnectionOptions {
        Objects.requireNonNull(name, "name");
        bootstrapServers = List.copyOf(bootstrapServers);
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(sasl, "sasl");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        properties = Map.copyOf(properties);
    }

    /** Plain-text options with defaults for everything but name and servers; for tests and tools. */
    public static KafkaConnectionOptions of(String name, String bootstrapServers) {
        return new KafkaConnectionOptions(name, List.of(bootstrapServers.split(",")), Security.PLAINTEXT, Optional.empty(),
                Optional.empty(), Optional.empty(), Duration.ofSeconds(10), Map.of());
    }

    public KafkaConnectionOptions withSasl(Security newSecurity, Sasl newSasl) {
        return new KafkaConnectionOptions(name, bootstrapServers, newSecurity, Optional.of(newSasl), tls, clientId,
                requestTimeout, properties);
    }

    public KafkaConnectionOptions withRequestTimeout(Duration timeout) {
        return new KafkaConnectionOptions(name, bootstrapServers, security, sasl, tls, clientId, timeout, properties);
    }

    /** Secret-free: {@code connection 'events' (kafka 127.0.0.1:9092, SASL_PLAINTEXT PLAIN as alice)}. */
    public String describe() {
        StringBuilder text = new StringBuilder("connection '").append(name).append("' (kafka ")
                .append(String.join(",", bootstrapServers));
        if (security != Security.PLAINTEXT) {
            text.append(", ").append(security);
        }
        sasl.ifPresent(s -> text.append(' ').append(s.mechanism().kafkaName).append(" as ").append(s.username()));
        return text.append(')').toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
