package io.msgbridge.http;

import com.codahale.metrics.MetricRegistry;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.msgbridge.config.HttpConfig;
import io.msgbridge.metrics.PrometheusExposition;
import io.msgbridge.runtime.PipelineStatus;
import io.msgbridge.runtime.UnparkOutcome;
import io.msgbridge.spi.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The daemon's HTTP endpoint, on the JDK's {@link HttpServer} with one virtual thread per exchange.
 *
 * <ul>
 *   <li>{@code GET /metrics}: the registry in the Prometheus text format</li>
 *   <li>{@code GET /health/live}: 200 {@code ok} while the process runs</li>
 *   <li>{@code GET /health/ready}: 200 when every pipeline is ready (also when there are none), else 503;
 *       a JSON body names the pipelines that are not ready with their state and last error</li>
 *   <li>{@code GET /pipelines}: a JSON array of {@link PipelineStatus}, instants as ISO-8601 strings</li>
 * </ul>
 * Other paths answer 404, other methods 405. Nothing served holds a secret: {@link PipelineStatus} has none.
 *
 * <p>What changes state ({@code POST /pipelines/NAME/keys/release|skip}) is guarded: with
 * {@code http.admin-token} set, a request must carry {@code Authorization: Bearer TOKEN} (compared in
 * constant time); without one, it is taken only from a loopback address. What is read ({@code /metrics},
 * {@code /health/*}, {@code /pipelines}) stays open for probes and scrapers.
 * Whether to start it at all ({@link HttpConfig#enabled()}) is the caller's decision.
 */
public final class StatusServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusServer.class);
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String BEARER = "Bearer ";

    private record Response(int status, String contentType, byte[] body) {
        static Response text(int status, String body) {
            return new Response(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** What the daemon does for {@code POST /pipelines/NAME/keys/release|skip?key=K}. */
    @FunctionalInterface
    public interface KeyControl {
        UnparkOutcome unpark(String pipeline, String key, boolean skip);
    }

    private static final java.util.regex.Pattern KEY_ACTION =
            java.util.regex.Pattern.compile("/pipelines/([^/]+)/keys/(release|skip)");

    private final HttpServer server;
    private final ExecutorService executor;
    private final KeyControl keys;
    private final Optional<Secret> adminToken;
    private final PrometheusExposition exposition;
    private final Supplier<List<PipelineStatus>> statuses;
    private final StatusJson json = new StatusJson();
    private final Map<String, Supplier<Response>> routes = Map.of(
            "/metrics", this::metrics,
            "/health/live", () -> Response.text(200, "ok"),
            "/health/ready", this::ready,
            "/pipelines", this::pipelines);

    private StatusServer(HttpServer server, MetricRegistry registry, Supplier<List<PipelineStatus>> statuses,
                         KeyControl keys, Optional<Secret> adminToken) {
        this.server = server;
        this.keys = keys;
        this.adminToken = adminToken;
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("bridge-http-", 0).factory());
        this.exposition = new PrometheusExposition(registry);
        this.statuses = statuses;
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Binds {@code config.host():config.port()} (port 0 picks a free port, see {@link #port()}) and serves.
     *
     * @param registry the daemon's metric registry
     * @param statuses the current status of every pipeline; called on each request, from a virtual thread
     * @param keys     releases and skips parked keys
     * @throws IOException if the address cannot be bound (in use, unknown host)
     */
    public static StatusServer start(HttpConfig config, MetricRegistry registry,
                                     Supplier<List<PipelineStatus>> statuses, KeyControl keys) throws IOException {
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        HttpServer http;
        try {
            http = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new IOException("http: cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        StatusServer server = new StatusServer(http, registry, statuses, keys, config.adminToken());
        http.start();
        log.info("HTTP endpoint listening on {}:{}", config.host(), server.port());
        return server;
    }

    /** The bound address; its port is the real one also when the config asked for port 0. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops listening, lets running exchanges finish, and ends the executor. */
    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response = "POST".equals(exchange.getRequestMethod()) ? refusal(exchange) : null;
            if (response == null) {
                response = respond(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getRawQuery());
            }
            if (response.status() == 405) {
                exchange.getResponseHeaders().set("Allow",
                        KEY_ACTION.matcher(exchange.getRequestURI().getPath()).matches() ? "POST" : "GET");
            }
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(response.body());
            }
        }
    }

    /** Why a request that changes state is refused, or null when it may go on. */
    private Response refusal(HttpExchange exchange) {
        if (adminToken.isEmpty()) {
            InetAddress from = exchange.getRemoteAddress().getAddress();
            return from.isLoopbackAddress() ? null : Response.text(403, "POST is taken only from this host (loopback)"
                    + " unless http.admin-token is set; set it (a secret) and send Authorization: Bearer TOKEN");
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] given = header == null || !header.startsWith(BEARER) ? new byte[0]
                : header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        byte[] expected = adminToken.get().reveal().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected) ? null
                : Response.text(401, "missing or wrong bearer token: POST needs Authorization: Bearer TOKEN with the "
                + "daemon's http.admin-token");
    }

    private Response respond(String method, String path, String query) {
        java.util.regex.Matcher keyAction = KEY_ACTION.matcher(path);
        if (keyAction.matches()) {
            return "POST".equals(method) ? unpark(keyAction.group(1), keyAction.group(2).equals("skip"), query)
                    : Response.text(405, "method not allowed: " + method + " (only POST)");
        }
        Supplier<Response> route = routes.get(path);
        if (route == null) {
            return Response.text(404, "not found: " + path);
        }
        if (!"GET".equals(method)) {
            return Response.text(405, "method not allowed: " + method + " (only GET)");
        }
        try {
            return route.get();
        } catch (RuntimeException e) {
            log.warn("HTTP {} {} failed", method, path, e);
            return Response.text(500, "internal error (the daemon log has the details)");
        }
    }

    private Response unpark(String pipeline, boolean skip, String query) {
        String key = null;
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith("key=")) {
                key = java.net.URLDecoder.decode(pair.substring(4), StandardCharsets.UTF_8);
            }
        }
        if (key == null) {
            return Response.text(400, "missing query parameter key=KEY");
        }
        return switch (keys.unpark(pipeline, key, skip)) {
            case DONE -> Response.text(200, (skip ? "skipped" : "released") + " key \"" + key + "\" of " + pipeline);
            case UNKNOWN_PIPELINE -> Response.text(404, "no pipeline " + pipeline);
            case NOT_PARKED -> Response.text(409, "key \"" + key + "\" of " + pipeline + " is not parked");
        };
    }

    private Response metrics() {
        return new Response(200, exposition.contentType(), exposition.scrape());
    }

    private Response ready() {
        StatusJson.Readiness readiness = StatusJson.Readiness.of(statuses.get());
        return new Response(readiness.ready() ? 200 : 503, JSON, json.write(readiness));
    }

    private Response pipelines() {
        return new Response(200, JSON, json.write(statuses.get()));
    }
}
