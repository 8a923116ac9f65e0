package io.msgbridge.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A message as one line for people and scripts to read, the same wherever the bridge prints messages
 * ({@code bridge tap}, the stdout sink): as text, or as the fields of a JSON object.
 */
public final class MessageLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MessageLines() {
    }

    /**
     * {@code key=KEY [NAME=VALUE, ...] PAYLOAD}: {@code -} for no key, the headers only when there are any,
     * the payload as text with line breaks written {@code \n} and {@code \r} so that a message stays one
     * line, or {@code base64:} and its base64 when it is not UTF-8.
     */
    public static String text(String key, Message m) {
        StringBuilder line = new StringBuilder("key=").append(key == null ? "-" : key);
        if (!m.headers().isEmpty()) {
            line.append(" [");
            String separator = "";
            for (Headers.Header h : m.headers().entries()) {
                line.append(separator).append(h.name()).append('=').append(h.value());
                separator = ", ";
            }
            line.append(']');
        }
        line.append(' ').append(utf8(m.payload()).map(t -> t.replace("\n", "\\n").replace("\r", "\\r"))
                .orElseGet(() -> "base64:" + Base64.getEncoder().encodeToString(m.payload())));
        return line.toString();
    }

    /** An empty JSON object for one line: {@link #put} a message's fields into it, add others, then {@link #write} it. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /**
     * Puts {@code topic}, {@code key}, {@code headers} (a list of name/value pairs, in order),
     * {@code event_time}, and {@code payload} as text, or {@code payload_base64} when it is not UTF-8.
     */
    public static void put(ObjectNode node, String key, Message m) {
        node.put("topic", m.topic());
        node.put("key", key);
        ArrayNode headers = node.putArray("headers");
        m.headers().entries().forEach(h -> headers.addObject().put("name", h.name()).put("value", h.value()));
        node.put("event_time", m.eventTime() == null ? null : m.eventTime().toString());
        Optional<String> text = utf8(m.payload());
        if (text.isPresent()) {
            node.put("payload", text.get());
        } else {
            node.put("payload_base64", Base64.getEncoder().encodeToString(m.payload()));
        }
    }

    /** {@code node} on one line. */
    public static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings cannot fail to serialize", e);
        }
    }

    private static Optional<String> utf8(byte[] payload) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
