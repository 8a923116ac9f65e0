package io.msgbridge.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A record as one line of the stdout sink, ending in a line feed: as {@code bridge tap} prints what it reads,
 * so that both look alike. The key is the one the pipeline writes ({@link OutboundRecord#key()}).
 */
final class RecordLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordLines() {
    }

    static byte[] line(OutboundRecord record, StdoutOptions.Format format) {
        String line = switch (format) {
            case TEXT -> text(record);
            case JSON -> json(record);
        };
        return (line + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code key=KEY [NAME=VALUE, ...] PAYLOAD}: {@code -} for no key, the headers only when there are any,
     * the payload as text with line breaks written {@code \n} and {@code \r} so that a record stays one line,
     * or {@code base64:} and its base64 when it is not UTF-8.
     */
    private static String text(OutboundRecord record) {
        Message m = record.message();
        StringBuilder line = new StringBuilder("key=").append(record.key() == null ? "-" : record.key());
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

    /**
     * {@code topic}, {@code key}, {@code headers} (a list of name/value pairs, in order), {@code event_time},
     * {@code source_partition} and {@code source_offset} (where the record stands in its source), and
     * {@code payload} as text, or {@code payload_base64} when it is not UTF-8.
     */
    private static String json(OutboundRecord record) {
        Message m = record.message();
        ObjectNode node = JSON.createObjectNode();
        node.put("topic", m.topic());
        node.put("key", record.key());
        ArrayNode headers = node.putArray("headers");
        m.headers().entries().forEach(h -> headers.addObject().put("name", h.name()).put("value", h.value()));
        node.put("event_time", m.eventTime() == null ? null : m.eventTime().toString());
        node.put("source_partition", record.source().partition());
        node.put("source_offset", record.source().offset());
        Optional<String> text = utf8(m.payload());
        if (text.isPresent()) {
            node.put("payload", text.get());
        } else {
            node.put("payload_base64", Base64.getEncoder().encodeToString(m.payload()));
        }
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
