package io.msgbridge.nsq;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test double of nsqlookupd's HTTP API: {@code /lookup?topic=T} names the producers a test set (404
 * {@code TOPIC_NOT_FOUND} when none), {@code /nodes} names them all.
 */
final class FakeNsqlookupd implements AutoCloseable {
    private final HttpServer server;
    private final List<NsqAddress> producers = new CopyOnWriteArrayList<>();

    FakeNsqlookupd() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/lookup", exchange -> {
            try (exchange) {
                if (producers.isEmpty()) {
                    send(exchange, 404, "{\"message\":\"TOPIC_NOT_FOUND\"}");
                } else {
                    send(exchange, 200, "{\"channels\":[],\"producers\":" + producersJson() + "}");
                }
            }
        });
        server.createContext("/nodes", exchange -> {
            try (exchange) {
                send(exchange, 200, "{\"producers\":" + producersJson() + "}");
            }
        });
        server.start();
    }

    void producers(List<NsqAddress> addresses) {
        producers.clear();
        producers.addAll(addresses);
    }

    URI address() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private String producersJson() {
        StringBuilder json = new StringBuilder("[");
        for (NsqAddress a : producers) {
            json.append(json.length() > 1 ? "," : "").append("{\"broadcast_address\":\"").append(a.host())
                    .append("\",\"hostname\":\"test\",\"tcp_port\":").append(a.port()).append(",\"http_port\":0,\"version\":\"1.3.0\"}");
        }
        return json.append(']').toString();
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
