package io.msgbridge.pulsar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.msgbridge.backend.PemSslContext;
import org.apache.pulsar.common.naming.TopicName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A subscription's backlog over the topics a source reads: the sum of Pulsar's {@code msgBacklog}
 * (messages not yet acknowledged) over each topic partition's stats, from the broker's admin REST API
 * at the connection's {@code admin-url}, with the connection's token and CA. The Pulsar client API
 * has no backlog of its own, and {@code pulsar-client-admin} would add a second HTTP stack for one
 * request.
 *
 * <p>{@link #value} never blocks (a metrics scrape reads it): it returns the last value and, when that
 * is older than {@link #REFRESH}, starts one refresh on a virtual thread. -1 while unknown, and again
 * when a refresh fails (the first failure of a kind is logged as a warning, with what to do).
 */
final class PulsarBacklog {
    private static final Logger LOG = LoggerFactory.getLogger(PulsarBacklog.class);
    static final Duration REFRESH = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI admin;
    private final PulsarConnectionOptions connection;
    private final String subscription;
    private final String where;
    private final HttpClient http;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long value = -1;
    private volatile long refreshedNanos = System.nanoTime() - REFRESH.toNanos();
    private volatile String lastProblem;

    PulsarBacklog(URI admin, PulsarConnectionOptions connection, String subscription, String where) {
        this.admin = admin;
        this.connection = connection;
        this.subscription = subscription;
        this.where = where;
        this.http = client(connection, where);
    }

    private static HttpClient client(PulsarConnectionOptions connection, String where) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connection.connectTimeout());
        if (connection.tlsCa().isPresent()) {
            try {
                builder.sslContext(PemSslContext.create(connection.tlsCa(), Optional.empty(), Optional.empty()));
            } catch (IOException | GeneralSecurityException e) {
                LOG.warn("{}: admin-url: cannot use the CA {} ({}); the JDK's trust store is used", where, connection.tlsCa().get(), e.getMessage());
            }
        }
        return builder.build();
    }

    /** The last backlog read, starting a refresh of it over {@code partitions} when it is stale. */
    long value(Supplier<List<String>> partitions) {
        if (System.nanoTime() - refreshedNanos >= REFRESH.toNanos() && refreshing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("pulsar-backlog").start(() -> {
                try {
                    value = read(partitions.get());
                    lastProblem = null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException | RuntimeException e) {
                    value = -1;
                    problem(e.getMessage() != null ? e.getMessage() : e.toString());
                } finally {
                    refreshedNanos = System.nanoTime();
                    refreshing.set(false);
                }
            });
        }
        return value;
    }

    /** Stops the HTTP client (its selector thread), dropping a refresh under way. */
    void close() {
        http.shutdownNow();
    }

    /** The backlog over {@code partitions} (full topic names), read now. */
    private long read(List<String> partitions) throws IOException, InterruptedException {
        long total = 0;
        for (String partition : partitions) {
            total += backlog(partition);
        }
        return total;
    }

    private long backlog(String partition) throws IOException, InterruptedException {
        TopicName topic = TopicName.get(partition);
        URI uri = URI.create(admin + "/admin/v2/" + topic.getDomain() + "/" + topic.getTenant() + "/"
                + topic.getNamespacePortion() + "/" + URLEncoder.encode(topic.getLocalName(), StandardCharsets.UTF_8) + "/stats");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(connection.operationTimeout()).GET();
        String token = token();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new IOException("the admin API at " + admin + " refused the stats of " + partition + " (HTTP " + response.statusCode()
                    + "): the connection's token needs the namespace's consume or admin permission");
        }
        if (response.statusCode() == 404) {
            return 0;
        }
        if (response.statusCode() != 200) {
            throw new IOException("the admin API at " + admin + " answered HTTP " + response.statusCode() + " for the stats of " + partition);
        }
        JsonNode sub = JSON.readTree(response.body()).path("subscriptions").path(subscription);
        return sub.path("msgBacklog").asLong(0);
    }

    private String token() {
        return switch (connection.auth()) {
            case PulsarAuth.None none -> null;
            case PulsarAuth.Token t -> t.token().reveal();
            case PulsarAuth.TokenFile f -> PulsarClients.readToken(f.file());
        };
    }

    private void problem(String text) {
        if (!text.equals(lastProblem)) {
            LOG.warn("{}: source lag unknown: {}; check admin-url", where, text);
        }
        lastProblem = text;
    }
}
