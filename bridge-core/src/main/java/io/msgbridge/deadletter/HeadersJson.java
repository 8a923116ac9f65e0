package io.msgbridge.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.msgbridge.spi.Headers;

import java.util.ArrayList;
import java.util.List;

/**
 * Headers as a JSON array of {@code {"name": ..., "value": ...}} objects, in order (names may repeat).
 * NUL characters, which PostgreSQL text cannot hold, become U+FFFD.
 */
final class HeadersJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HeadersJson() {
    }

    static String write(Headers headers) {
        ArrayNode array = JSON.createArrayNode();
        for (Headers.Header h : headers.entries()) {
            array.addObject().put("name", PostgresText.clean(h.name())).put("value", PostgresText.clean(h.value()));
        }
        return array.toString();
    }

    static Headers read(String json) {
        try {
            List<Headers.Header> entries = new ArrayList<>();
            for (JsonNode node : JSON.readTree(json)) {
                entries.add(new Headers.Header(node.path("name").asText(), node.path("value").asText()));
            }
            return Headers.of(entries);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored headers are not a JSON array: " + e.getOriginalMessage(), e);
        }
    }
}
