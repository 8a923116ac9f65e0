package io.msgbridge.nsq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Asks nsqlookupd where nsqd are: {@code /lookup?topic=T} for a topic's producers (a source),
 * {@code /nodes} for every nsqd (a sink). Every address is asked; the answers are merged; the call
 * fails only when no nsqlookupd answered.
 */
final class LookupdClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> lookupd;
    private final HttpClient http;
    private final Duration timeout;

    LookupdClient(List<URI> lookupd, Duration timeout) {
        this.lookupd = List.copyOf(lookupd);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The nsqd that have {@code topic}; empty when no nsqlookupd knows it yet. */
    Set<NsqAddress> producers(String topic) throws IOException, InterruptedException {
        return ask("/lookup?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8));
    }

    /** Every nsqd registered with nsqlookupd. */
    Set<NsqAddress> nodes() throws IOException, InterruptedException {
        return ask("/nodes");
    }

    private Set<NsqAddress> ask(String pathAndQuery) throws IOException, InterruptedException {
        Set<NsqAddress> found = new LinkedHashSet<>();
        IOException last = null;
        int answered = 0;
        for (URI base : lookupd) {
            try {
                HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout)
                        .header("Accept", "application/vnd.nsq; version=1.0").GET().build();
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                answered++;
                if (response.statusCode() == 404) {
                    continue;
                }
                if (response.statusCode() != 200) {
                    last = new IOException("nsqlookupd " + base + " answered " + response.statusCode());
                    continue;
                }
                found.addAll(parse(response.body()));
            } catch (IOException e) {
                last = new IOException("nsqlookupd " + base + ": " + e.getMessage(), e);
            }
        }
        if (answered == 0 && last != null) {
            throw last;
        }
        return found;
    }

    static Set<NsqAddress> parse(byte[] body) throws IOException {
        JsonNode root = JSON.readTree(body);
        JsonNode producers = root.has("producers") ? root.get("producers") : root.path("data").path("producers");
        Set<NsqAddress> addresses = new LinkedHashSet<>();
        for (JsonNode p : producers) {
            String host = p.path("broadcast_address").asText("");
            int port = p.path("tcp_port").asInt(0);
            if (!host.isEmpty() && port > 0) {
                addresses.add(new NsqAddress(host, port));
            }
        }
        return addresses;
    }
}
