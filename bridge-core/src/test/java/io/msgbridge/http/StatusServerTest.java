package io.msgbridge.http;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.msgbridge.config.HttpConfig;
import io.msgbridge.metrics.DropwizardPipelineMetrics;
import io.msgbridge.metrics.PrometheusSamples;
import io.msgbridge.runtime.PipelineState;
import io.msgbridge.runtime.PipelineStatus;
import io.msgbridge.runtime.UnparkOutcome;
import io.msgbridge.spi.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class StatusServerTest {

    private static final Instant COMMITTED = Instant.parse("2026-11-23T10:15:30Z");
    private static final Instant FAILED = Instant.parse("2026-11-23T10:16:00.250Z");

    private final MetricRegistry registry = new MetricRegistry();
    private final List<PipelineStatus> statuses = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private StatusServer server;

    @BeforeEach
    void start() throws IOException {
        server = StatusServer.start(new HttpConfig(true, "127.0.0.1", 0), registry, () -> List.copyOf(statuses),
                (pipeline, key, skip) -> UnparkOutcome.NOT_PARKED);
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    private static PipelineStatus running(String name) {
        return new PipelineStatus(name, PipelineState.RUNNING, true, "nats core a.>", "nats jetstream B",
                10, 9, 1, 0, 1, Map.of("a.>", "42"), COMMITTED, Map.of(), null, null, null);
    }

    private static PipelineStatus degraded(String name, String error) {
        return new PipelineStatus(name, PipelineState.DEGRADED, false, "nats core a.>", "nats jetstream B",
                10, 9, 3, 0, 1, Map.of(), null, Map.of(), "sink nats jetstream B is not connected", error, FAILED);
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path);
    }

    @Test
    void bindsAFreePortWhenTheConfigAsksForPortZero() {
        assertThat(server.port()).isPositive();
        assertThat(server.address().getPort()).isEqualTo(server.port());
    }

    @Test
    void livenessAnswersOkWhileTheProcessRuns() throws Exception {
        HttpResponse<String> response = get("/health/live");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
    }

    @Test
    void readinessIs503NamingTheNotReadyPipelineUntilEveryPipelineIsReady() throws Exception {
        statuses.add(running("orders"));
        statuses.add(degraded("knowledge", "sink: connection refused"));

        HttpResponse<String> notReady = get("/health/ready");

        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json.readTree(notReady.body());
        assertThat(body.get("status").asText()).isEqualTo("not ready");
        assertThat(body.get("notReady")).hasSize(1);
        assertThat(body.get("notReady").get(0).get("name").asText()).isEqualTo("knowledge");
        assertThat(body.get("notReady").get(0).get("state").asText()).isEqualTo("DEGRADED");
        assertThat(body.get("notReady").get(0).get("reason").asText()).isEqualTo("sink nats jetstream B is not connected");
        assertThat(body.get("notReady").get(0).get("lastError").asText()).isEqualTo("sink: connection refused");
        assertThat(body.get("notReady").get(0).get("lastErrorAt").asText()).isEqualTo("2026-11-23T10:16:00.250Z");

        statuses.set(1, running("knowledge"));
        HttpResponse<String> ready = get("/health/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json.readTree(ready.body()).get("status").asText()).isEqualTo("ready");
    }

    @Test
    void readinessIs200WhenThereAreNoPipelines() throws Exception {
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void pipelinesListsEveryStatusFieldWithInstantsAsIsoStrings() throws Exception {
        statuses.add(running("orders"));
        statuses.add(degraded("knowledge", "sink: connection refused"));

        HttpResponse<String> response = get("/pipelines");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json.readTree(response.body());
        assertThat(body.isArray()).isTrue();
        assertThat(body).hasSize(2);
        JsonNode orders = body.get(0);
        assertThat(orders.properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder(
                "name", "state", "ready", "source", "sink", "recordsIn", "recordsOut", "recordsFailed",
                "deadLettered", "inFlight", "committed", "lastCommitAt", "parkedKeys", "reason", "lastError", "lastErrorAt");
        assertThat(orders.get("name").asText()).isEqualTo("orders");
        assertThat(orders.get("state").asText()).isEqualTo("RUNNING");
        assertThat(orders.get("ready").asBoolean()).isTrue();
        assertThat(orders.get("recordsIn").asLong()).isEqualTo(10);
        assertThat(orders.get("committed").get("a.>").asText()).isEqualTo("42");
        assertThat(orders.get("lastCommitAt").asText()).isEqualTo("2026-11-23T10:15:30Z");
        assertThat(orders.get("lastError").isNull()).isTrue();
        assertThat(body.get(1).get("lastError").asText()).isEqualTo("sink: connection refused");
    }

    @Test
    void metricsServesPrometheusTextWithItsContentType() throws Exception {
        new DropwizardPipelineMetrics(registry, "orders").recordsIn(2, 20);

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(PrometheusSamples.parse(response.body()).value("bridge_records_in_total", "pipeline", "orders"))
                .isEqualTo(2);
    }

    @Test
    void unknownPathsAre404() throws Exception {
        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(get("/metrics/extra").statusCode()).isEqualTo(404);
        assertThat(get("/health").statusCode()).isEqualTo(404);
    }

    @Test
    void methodsOtherThanGetAre405WithAnAllowHeader() throws Exception {
        HttpResponse<String> post = send("POST", "/pipelines");
        HttpResponse<String> delete = send("DELETE", "/metrics");

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        assertThat(delete.statusCode()).isEqualTo(405);
    }

    @Test
    void aFailingStatusSupplierGives500WithoutItsMessage() throws Exception {
        server.close();
        server = StatusServer.start(new HttpConfig(true, "127.0.0.1", 0), registry, () -> {
            throw new IllegalStateException("password=hunter2");
        }, (pipeline, key, skip) -> UnparkOutcome.NOT_PARKED);

        HttpResponse<String> response = get("/pipelines");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("hunter2");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> post(String host, String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPostWithoutTheAdminTokenIsRefusedAndOneWithItIsTaken() throws Exception {
        server.close();
        server = StatusServer.start(new HttpConfig(true, "127.0.0.1", 0, Optional.of(new Secret("s3cret-token"))),
                registry, () -> List.copyOf(statuses), (pipeline, key, skip) -> UnparkOutcome.DONE);
        String path = "/pipelines/orders/keys/release?key=k1";

        HttpResponse<String> without = post("127.0.0.1", path, null);
        HttpResponse<String> wrong = post("127.0.0.1", path, "Bearer s3cret-tokem");
        HttpResponse<String> right = post("127.0.0.1", path, "Bearer s3cret-token");

        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(without.body()).contains("Authorization: Bearer").doesNotContain("s3cret");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(right.body()).isEqualTo("released key \"k1\" of orders");
        assertThat(get("/health/live").statusCode()).as("reads need no token").isEqualTo(200);
    }

    @Test
    void withoutAnAdminTokenAPostIsTakenOnlyFromThisHost() throws Exception {
        Optional<InetAddress> outside = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        Assumptions.assumeTrue(outside.isPresent(), "this machine has an address other than loopback");
        String host = outside.get().getHostAddress();
        server.close();
        server = StatusServer.start(new HttpConfig(true, host, 0), registry, () -> List.copyOf(statuses),
                (pipeline, key, skip) -> UnparkOutcome.DONE);

        HttpResponse<String> refused = post(host, "/pipelines/orders/keys/skip?key=k1", null);

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("http.admin-token");
        assertThat(get(host, "/health/live").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String host, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
