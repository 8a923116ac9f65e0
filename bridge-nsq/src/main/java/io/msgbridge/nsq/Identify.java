package io.msgbridge.nsq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The IDENTIFY request this client sends, and what nsqd answers with feature negotiation. */
final class Identify {
    static final String USER_AGENT = "msgbridge-nsq/0.1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Identify() {
    }

    /** The request body for these options. */
    static byte[] request(NsqConnectionOptions options) {
        ObjectNode body = JSON.createObjectNode();
        body.put("client_id", options.clientId());
        body.put("hostname", options.hostname());
        body.put("user_agent", USER_AGENT);
        body.put("feature_negotiation", true);
        body.put("heartbeat_interval", options.heartbeatInterval().toMillis());
        body.put("msg_timeout", options.msgTimeout().toMillis());
        body.put("output_buffer_size", 16 * 1024);
        body.put("output_buffer_timeout", 250);
        body.put("tls_v1", options.tls().isPresent());
        body.put("snappy", false);
        body.put("deflate", false);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode IDENTIFY", e);
        }
    }

    /**
     * What nsqd negotiated.
     *
     * @param maxRdyCount   the largest RDY this nsqd accepts
     * @param msgTimeout    the message timeout in effect for this connection
     * @param maxMsgTimeout how far TOUCH can extend a message
     * @param tls           whether nsqd agreed to upgrade to TLS
     * @param authRequired  whether nsqd wants AUTH before anything else
     * @param version       nsqd's version, for logs
     */
    record Response(int maxRdyCount, Duration msgTimeout, Duration maxMsgTimeout, boolean tls, boolean authRequired, String version) {
        /** What an nsqd without feature negotiation (answering plain {@code OK}) implies. */
        static Response legacy(Duration msgTimeout) {
            return new Response(2500, msgTimeout, Duration.ofMinutes(15), false, false, "unknown");
        }

        static Response parse(byte[] data, Duration requestedTimeout) throws IOException {
            String text = new String(data, StandardCharsets.UTF_8);
            if ("OK".equals(text)) {
                return legacy(requestedTimeout);
            }
            JsonNode node = JSON.readTree(data);
            return new Response(
                    node.path("max_rdy_count").asInt(2500),
                    Duration.ofMillis(node.path("msg_timeout").asLong(requestedTimeout.toMillis())),
                    Duration.ofMillis(node.path("max_msg_timeout").asLong(Duration.ofMinutes(15).toMillis())),
                    node.path("tls_v1").asBoolean(false),
                    node.path("auth_required").asBoolean(false),
                    node.path("version").asText("unknown"));
        }
    }
}
