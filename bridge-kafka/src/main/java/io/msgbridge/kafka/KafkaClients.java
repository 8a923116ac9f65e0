package io.msgbridge.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client properties every Kafka client of a connection shares (servers, security, client id, the
 * connection's extra {@code properties}), and the connection check a source or sink makes on start.
 *
 * <p>TLS material is given as PEM, which kafka-clients reads natively ({@code ssl.truststore.type=PEM},
 * {@code ssl.keystore.type=PEM}): the files are read when the client is made, so a renewed certificate is
 * used from the next start of the pipeline.
 */
final class KafkaClients {
    private KafkaClients() {
    }

    static Properties common(KafkaConnectionOptions connection, String clientId) {
        Properties p = new Properties();
        p.putAll(connection.properties());
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", connection.bootstrapServers()));
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, connection.clientId().orElse(clientId));
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, connection.security().name());
        p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, connection.requestTimeout().toMillis()));
        p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, 2 * connection.requestTimeout().toMillis()));
        connection.sasl().ifPresent(sasl -> {
            p.put(SaslConfigs.SASL_MECHANISM, sasl.mechanism().kafkaName);
            p.put(SaslConfigs.SASL_JAAS_CONFIG, sasl.mechanism().loginModule + " required username=\""
                    + jaasEscape(sasl.username()) + "\" password=\"" + jaasEscape(sasl.password().reveal()) + "\";");
        });
        connection.tls().ifPresent(tls -> {
            tls.ca().ifPresent(ca -> {
                p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
                p.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, read(ca));
            });
            if (tls.cert().isPresent() && tls.key().isPresent()) {
                p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
                p.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, read(tls.cert().get()));
                p.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, read(tls.key().get()));
            }
        });
        return p;
    }

    /** JAAS option values are quoted strings: a quote or backslash in them is escaped. */
    private static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Connects to the cluster and asks for its brokers, so that refused credentials, a TLS handshake that
     * fails or no broker at all are found on start rather than by the first record. Any failure is
     * classified by {@link KafkaFailures#onStart}.
     */
    static void check(KafkaConnectionOptions connection, String clientId, String where) throws InterruptedException {
        Properties p = common(connection, clientId + "-check");
        long timeout = connection.requestTimeout().toMillis();
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) Math.min(Integer.MAX_VALUE, timeout)))
                    .nodes().get(timeout + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw KafkaFailures.onStart(where, connection, e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw KafkaFailures.onStart(where, connection, e);
        }
    }

    /** The client's open connections to brokers, from its {@code connection-count} metric; -1 when it has none. */
    static double connectionCount(Map<MetricName, ? extends Metric> metrics) {
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            MetricName name = e.getKey();
            if (name.name().equals("connection-count") && name.group().endsWith("-metrics") && name.tags().size() <= 1) {
                Object value = e.getValue().metricValue();
                return value instanceof Number n ? n.doubleValue() : -1;
            }
        }
        return -1;
    }
}
