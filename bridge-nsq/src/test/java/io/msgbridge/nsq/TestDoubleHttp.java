package io.msgbridge.nsq;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/** nsqd's HTTP API as the {@link NsqTestDouble} serves it: /ping, /pub, /mpub, /stats, /topic/create, /channel/create. */
final class TestDoubleHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestDoubleTopics topics;
    private final NsqTestDouble.Settings settings;
    private final NsqTestDouble owner;
    private final HttpServer server;
    private final long startTime = System.currentTimeMillis() / 1000;

    TestDoubleHttp(TestDoubleTopics topics, NsqTestDouble.Settings settings, NsqTestDouble owner) throws IOException {
        this.topics = topics;
        this.settings = settings;
        this.owner = owner;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon().name("nsq-double-http").factory()));
        server.createContext("/", this::handle);
        server.start();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/ping" -> send(exchange, 200, "OK");
                case "/pub" -> pub(exchange, query);
                case "/mpub" -> mpub(exchange, query);
                case "/stats" -> send(exchange, 200, stats(query));
                case "/topic/create" -> {
                    if (topicOk(exchange, query)) {
                        topics.topic(query.get("topic"));
                        send(exchange, 200, "");
                    }
                }
                case "/channel/create" -> {
                    if (topicOk(exchange, query)) {
                        topics.channel(query.get("topic"), query.getOrDefault("channel", ""));
                        send(exchange, 200, "");
                    }
                }
                default -> error(exchange, 404, "NOT_FOUND");
            }
        }
    }

    private boolean topicOk(HttpExchange exchange, Map<String, String> query) throws IOException {
        String topic = query.get("topic");
        if (topic == null) {
            error(exchange, 400, "MISSING_ARG_TOPIC");
            return false;
        }
        if (!NsqNames.valid(topic)) {
            error(exchange, 400, "INVALID_TOPIC");
            return false;
        }
        return true;
    }

    private void pub(HttpExchange exchange, Map<String, String> query) throws IOException {
        if (!topicOk(exchange, query)) {
            return;
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (body.length == 0) {
            error(exchange, 400, "MSG_EMPTY");
            return;
        }
        if (body.length > settings.maxMsgSize()) {
            error(exchange, 413, "MSG_TOO_BIG");
            return;
        }
        long defer = Long.parseLong(query.getOrDefault("defer", "0"));
        topics.publish(query.get("topic"), List.of(body), Duration.ofMillis(defer));
        send(exchange, 200, "OK");
    }

    private void mpub(HttpExchange exchange, Map<String, String> query) throws IOException {
        if (!topicOk(exchange, query)) {
            return;
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (body.length > settings.maxBodySize()) {
            error(exchange, 413, "BODY_TOO_BIG");
            return;
        }
        List<byte[]> messages = new ArrayList<>();
        if ("true".equals(query.get("binary"))) {
            ByteBuffer buffer = ByteBuffer.wrap(body);
            int count = buffer.getInt();
            for (int i = 0; i < count; i++) {
                byte[] m = new byte[buffer.getInt()];
                buffer.get(m);
                messages.add(m);
            }
        } else {
            int start = 0;
            for (int i = 0; i <= body.length; i++) {
                if (i == body.length || body[i] == '\n') {
                    if (i > start) {
                        messages.add(Arrays.copyOfRange(body, start, i));
                    }
                    start = i + 1;
                }
            }
        }
        for (byte[] m : messages) {
            if (m.length > settings.maxMsgSize()) {
                error(exchange, 413, "MSG_TOO_BIG");
                return;
            }
        }
        if (messages.isEmpty()) {
            error(exchange, 400, "MSG_EMPTY");
            return;
        }
        topics.publish(query.get("topic"), messages, Duration.ZERO);
        send(exchange, 200, "OK");
    }

    private String stats(Map<String, String> query) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.3.0-testdouble");
        root.put("health", "OK");
        root.put("start_time", startTime);
        ArrayNode topicList = root.putArray("topics");
        synchronized (topics) {
            for (TestDoubleTopics.Topic t : topics.snapshot()) {
                if (query.containsKey("topic") && !query.get("topic").equals(t.name)) {
                    continue;
                }
                ObjectNode topic = topicList.addObject();
                topic.put("topic_name", t.name);
                topic.put("depth", t.buffered.size());
                topic.put("backend_depth", 0);
                topic.put("message_count", t.messageCount);
                topic.put("paused", false);
                ArrayNode channels = topic.putArray("channels");
                for (TestDoubleTopics.Channel c : t.channels.values()) {
                    if (query.containsKey("channel") && !query.get("channel").equals(c.name)) {
                        continue;
                    }
                    ObjectNode channel = channels.addObject();
                    channel.put("channel_name", c.name);
                    channel.put("depth", c.ready.size());
                    channel.put("backend_depth", 0);
                    channel.put("in_flight_count", c.inFlight.size());
                    channel.put("deferred_count", c.deferred.size());
                    channel.put("message_count", c.messageCount);
                    channel.put("requeue_count", c.requeueCount);
                    channel.put("timeout_count", c.timeoutCount);
                    channel.put("client_count", c.clients.size());
                    channel.put("paused", false);
                }
            }
        }
        root.put("client_count", owner.clientCount());
        return JSON.writeValueAsString(root);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> map = new HashMap<>();
        if (raw == null) {
            return map;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            map.put(key, value);
        }
        return map;
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, "{\"message\":\"" + message + "\"}");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }
}
