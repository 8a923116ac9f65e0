package io.msgbridge.bench;

import io.msgbridge.pulsar.PulsarTestBroker;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.TypedMessageBuilder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The Pulsar side of the benchmark: a real Pulsar standalone broker ({@link PulsarTestBroker#shared()},
 * started on first use on free ports and killed when the bench exits), the orchestrator's client and the
 * topic endpoints. The broker has JWT auth on: the orchestrator and both variants authenticate as its
 * super user. The variant processes get the service URL and the token in their environment
 * ({@link #URL_VARIABLE}, {@link #TOKEN_VARIABLE}), so the token is in no file and no command line.
 * Topics are {@code persistent://public/default/bench-<run>-src|snk}.
 */
final class PulsarEndpoints implements AutoCloseable {
    /** The environment variable with the broker's service URL, for the baseline. */
    static final String URL_VARIABLE = "BENCH_PULSAR_URL";
    /** The environment variable with the token of the broker's super user, for both variants. */
    static final String TOKEN_VARIABLE = "BENCH_PULSAR_TOKEN";
    private static final int PUBLISH_WINDOW = 5000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final PulsarTestBroker broker;
    private final PulsarClient client;

    PulsarEndpoints() throws PulsarClientException {
        this.broker = PulsarTestBroker.shared();
        this.client = broker.clientBuilder().build();
    }

    /** The YAML {@code connections:} entry the bridge variant uses. */
    String yamlConnection() {
        return "  pulsar: { type: pulsar, service-url: \"" + broker.serviceUrl() + "\", auth: { token: \"${" + TOKEN_VARIABLE + "}\" } }\n";
    }

    /** What the variant processes need in their environment. */
    Map<String, String> environment() {
        return Map.of(URL_VARIABLE, broker.serviceUrl(), TOKEN_VARIABLE, broker.adminToken());
    }

    /** A topic as the source, preloaded through a batching producer with {@code payloads}, each keyed as {@code keys} say. */
    SourceEndpoint source(String run, Keys keys, Payloads payloads) {
        String topic = topic(run, "src");
        PublishWindow window = PublishWindow.of(PUBLISH_WINDOW, payloads);
        return new SourceEndpoint() {
            private Producer<byte[]> producer;

            @Override
            public void create() throws PulsarClientException {
                producer = client.newProducer(Schema.BYTES).topic(topic).blockIfQueueFull(true).create();
            }

            @Override
            public boolean holdsRecords() {
                return true;
            }

            @Override
            public void publish(long sequence) throws InterruptedException {
                window.publish(() -> {
                    TypedMessageBuilder<byte[]> message = producer.newMessage().value(payloads.stamped(sequence, keys));
                    if (keys.keyed()) {
                        message.key(keys.of(sequence));
                    }
                    return message.sendAsync();
                });
            }

            @Override
            public void flush() throws InterruptedException {
                window.flush();
            }

            @Override
            public String yamlFrom() {
                return "{ connection: pulsar, topic: \"" + topic + "\" }";
            }

            @Override
            public String baselineSpec() {
                return "pulsar:" + topic;
            }

            @Override
            public void close() {
                closeQuietly(producer);
                deleteTopic(topic);
            }
        };
    }

    /** A topic as the sink; the end consumer is a reader from its earliest message, created before the variant starts. */
    SinkEndpoint sink(String run) {
        String topic = topic(run, "snk");
        return new SinkEndpoint() {
            private Reader<byte[]> reader;

            @Override
            public void create(Receipts receipts) throws PulsarClientException {
                reader = client.newReader(Schema.BYTES).topic(topic).startMessageId(MessageId.earliest)
                        .readerListener((r, message) -> receipts.received(message.getData(), message.hasKey() ? message.getKey() : null)).create();
            }

            @Override
            public String yamlTo() {
                return "{ connection: pulsar, topic: \"" + topic + "\" }";
            }

            @Override
            public String baselineSpec() {
                return "pulsar:" + topic;
            }

            @Override
            public long stored() {
                return -1;
            }

            @Override
            public void close() {
                closeQuietly(reader);
                deleteTopic(topic);
            }
        };
    }

    private static String topic(String run, String role) {
        return "persistent://public/default/bench-" + run + "-" + role;
    }

    /** Deletes a topic with its subscriptions through the admin API. Never throws. */
    private void deleteTopic(String topic) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(broker.webUrl() + "/admin/v2/" + topic.replace("://", "/") + "?force=true"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + broker.adminToken()).DELETE().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                System.err.println("bench: could not delete topic " + topic + ": " + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            System.err.println("bench: could not delete topic " + topic + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println("bench: closing " + closeable + ": " + e);
        }
    }

    @Override
    public void close() throws PulsarClientException {
        client.close();
    }
}
