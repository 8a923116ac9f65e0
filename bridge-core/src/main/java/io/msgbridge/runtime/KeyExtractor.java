package io.msgbridge.runtime;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.msgbridge.config.KeySpec;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.PermanentException;

import java.io.IOException;

/**
 * Computes a record's ordering key from the pipeline's {@link KeySpec}. A key that cannot be computed
 * is a {@link PermanentException} (the record fails at the KEY stage), never a crash.
 * {@code null} means "no key": the record is ordered against nothing.
 */
@FunctionalInterface
interface KeyExtractor {

    String keyOf(Message message);

    static KeyExtractor of(KeySpec spec) {
        return switch (spec) {
            case KeySpec.Native n -> message -> message.key() == null ? "" : message.key();
            case KeySpec.Topic t -> Message::topic;
            case KeySpec.None n -> message -> null;
            case KeySpec.Header h -> message -> message.headers().first(h.name())
                    .orElseThrow(() -> new PermanentException("no header \"" + h.name() + "\" to take the key from"));
            case KeySpec.JsonPointer p -> new JsonKey(JsonPointer.compile(p.pointer()));
        };
    }

    /** The scalar at a JSON pointer in the payload; objects and arrays are keyed by their JSON text. */
    final class JsonKey implements KeyExtractor {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final JsonPointer pointer;

        JsonKey(JsonPointer pointer) {
            this.pointer = pointer;
        }

        @Override
        public String keyOf(Message message) {
            JsonNode root;
            try {
                root = JSON.readTree(message.payload());
            } catch (JsonProcessingException e) {
                throw new PermanentException("payload is not JSON, cannot take key " + pointer + ": "
                        + e.getOriginalMessage());
            } catch (IOException e) {
                throw new PermanentException("payload is unreadable, cannot take key " + pointer + ": " + e.getMessage());
            }
            if (root == null) {
                throw new PermanentException("payload is empty, cannot take key " + pointer);
            }
            JsonNode node = root.at(pointer);
            if (node.isMissingNode() || node.isNull()) {
                throw new PermanentException("payload has no value at " + pointer + " to take the key from");
            }
            return node.isValueNode() ? node.asText() : node.toString();
        }
    }
}
