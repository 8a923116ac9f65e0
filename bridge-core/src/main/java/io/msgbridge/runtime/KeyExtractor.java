package io.msgbridge.runtime;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.msgbridge.config.KeySpec;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.PermanentException;

import java.io.IOException;

/**
 * Computes a record's ordering key from the pipeline's {@link KeySpec}. A key that cannot be computed
 * is a {@link PermanentException} (the record fails at the KEY stage), never a crash.
 * {@code null} means "no key": the pump then orders the record by its source partition, or, with
 * {@code key: none}, against nothing.
 */
@FunctionalInterface
public interface KeyExtractor {

    String keyOf(Message message);

    static KeyExtractor of(KeySpec spec) {
        return switch (spec) {
            case KeySpec.Native n -> Message::key;
            case KeySpec.Topic t -> Message::topic;
            case KeySpec.None n -> message -> null;
            case KeySpec.Header h -> message -> message.headers().first(h.name())
                    .orElseThrow(() -> new PermanentException("no header \"" + h.name() + "\" to take the key from"));
            case KeySpec.JsonPointer p -> new JsonKey(JsonPointer.compile(p.pointer()));
        };
    }

    /**
     * The scalar at a JSON pointer in the payload; objects and arrays are keyed by their JSON text.
     * The payload is read as a token stream only as far as the pointer: fields before it are skipped
     * without building them, and nothing after it is read. So a key costs the same whatever the size of
     * the rest of the payload, and a payload that is broken only after its key still has a key (the
     * bridge moves payloads, it does not validate them). Where a field name repeats, the first one counts.
     * A string, the usual key, is taken as the parser's text, without building a tree node for it.
     */
    final class JsonKey implements KeyExtractor {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final JsonPointer pointer;

        JsonKey(JsonPointer pointer) {
            this.pointer = pointer;
        }

        @Override
        public String keyOf(Message message) {
            JsonNode node;
            try (JsonParser parser = JSON.createParser(message.payload())) {
                if (parser.nextToken() == null) {
                    throw new PermanentException("payload is empty, cannot take key " + pointer);
                }
                boolean found = descend(parser, pointer);
                if (found && parser.currentToken() == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                node = found ? JSON.readTree(parser) : null;
            } catch (JsonProcessingException e) {
                throw new PermanentException("payload is not JSON, cannot take key " + pointer + ": "
                        + e.getOriginalMessage());
            } catch (IOException e) {
                throw new PermanentException("payload is unreadable, cannot take key " + pointer + ": " + e.getMessage());
            }
            if (node == null || node.isNull()) {
                throw new PermanentException("payload has no value at " + pointer + " to take the key from");
            }
            return node.isValueNode() ? node.asText() : node.toString();
        }

        /**
         * Moves {@code parser}, standing on a value, to the value at {@code rest} within it; false when
         * there is none.
         */
        private static boolean descend(JsonParser parser, JsonPointer rest) throws IOException {
            for (JsonPointer at = rest; !at.matches(); at = at.tail()) {
                if (!(parser.currentToken() == JsonToken.START_OBJECT ? toField(parser, at.getMatchingProperty())
                        : parser.currentToken() == JsonToken.START_ARRAY && toElement(parser, at.getMatchingIndex()))) {
                    return false;
                }
            }
            return true;
        }

        private static boolean toField(JsonParser parser, String name) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean match = name.equals(parser.currentName());
                parser.nextToken();
                if (match) {
                    return true;
                }
                parser.skipChildren();
            }
            return false;
        }

        private static boolean toElement(JsonParser parser, int index) throws IOException {
            if (index < 0) {
                return false;
            }
            JsonToken token;
            for (int i = 0; (token = parser.nextToken()) != JsonToken.END_ARRAY && token != null; i++) {
                if (i == index) {
                    return true;
                }
                parser.skipChildren();
            }
            return false;
        }
    }
}
