package io.msgbridge.nsq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** A test client of nsqd's HTTP API (the same for the double and a real nsqd). */
public final class NsqHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;

    public NsqHttp(NsqBroker broker) {
        this.base = broker.httpAddress();
    }

    /** Creates the topic and the channel, so that messages published before a consumer subscribes wait in the channel. */
    public void createChannel(String topic, String channel) throws IOException, InterruptedException {
        post("/topic/create?topic=" + enc(topic), new byte[0]);
        post("/channel/create?topic=" + enc(topic) + "&channel=" + enc(channel), new byte[0]);
    }

    public void pub(String topic, byte[] body) throws IOException, InterruptedException {
        post("/pub?topic=" + enc(topic), body);
    }

    /** {@code /mpub?binary=true} in chunks below nsqd's max-body-size. */
    public void mpub(String topic, List<byte[]> bodies) throws IOException, InterruptedException {
        int from = 0;
        while (from < bodies.size()) {
            int to = from;
            long size = 4;
            while (to < bodies.size() && to - from < 1000 && size + 4 + bodies.get(to).length < 4 * 1024 * 1024) {
                size += 4 + bodies.get(to).length;
                to++;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(ByteBuffer.allocate(4).putInt(to - from).array());
            for (byte[] b : bodies.subList(from, to)) {
                out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
                out.writeBytes(b);
            }
            post("/mpub?binary=true&topic=" + enc(topic), out.toByteArray());
            from = to;
        }
    }

    /** The channel's entry of {@code /stats?format=json}, or a missing node when there is none. */
    public JsonNode channelStats(String topic, String channel) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = CLIENT.send(HttpRequest.newBuilder(base.resolve("/stats?format=json&topic=" + enc(topic)))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode root = JSON.readTree(response.body());
        JsonNode topics = root.has("topics") ? root.get("topics") : root.path("data").path("topics");
        for (JsonNode t : topics) {
            if (topic.equals(t.path("topic_name").asText())) {
                for (JsonNode c : t.path("channels")) {
                    if (channel.equals(c.path("channel_name").asText())) {
                        return c;
                    }
                }
            }
        }
        return JSON.missingNode();
    }

    /** The topic's {@code message_count}, 0 when it does not exist. */
    public long topicMessageCount(String topic) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = CLIENT.send(HttpRequest.newBuilder(base.resolve("/stats?format=json&topic=" + enc(topic)))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode root = JSON.readTree(response.body());
        JsonNode topics = root.has("topics") ? root.get("topics") : root.path("data").path("topics");
        for (JsonNode t : topics) {
            if (topic.equals(t.path("topic_name").asText())) {
                return t.path("message_count").asLong();
            }
        }
        return 0;
    }

    /** POSTs and returns the status; fails on anything but 200. */
    public int post(String pathAndQuery, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> response = postRaw(pathAndQuery, body);
        if (response.statusCode() != 200) {
            throw new IOException("POST " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.statusCode();
    }

    public HttpResponse<String> postRaw(String pathAndQuery, byte[] body) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
