package io.msgbridge.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.msgbridge.backend.MessageLines;
import io.msgbridge.spi.OutboundRecord;

import java.nio.charset.StandardCharsets;

/**
 * A record as one line of the stdout sink, ending in a line feed: as {@code bridge tap} prints what it reads,
 * so that both look alike. The key is the one the pipeline writes ({@link OutboundRecord#key()}).
 */
final class RecordLines {
    private RecordLines() {
    }

    static byte[] line(OutboundRecord record, StdoutOptions.Format format) {
        String line = switch (format) {
            case TEXT -> text(record);
            case JSON -> json(record);
        };
        return (line + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** As {@link MessageLines#text}, with the key the pipeline writes. */
    private static String text(OutboundRecord record) {
        return MessageLines.text(record.key(), record.message());
    }

    /**
     * As {@link MessageLines#put}, with the key the pipeline writes, and {@code source_partition} and
     * {@code source_offset}: where the record stands in its source.
     */
    private static String json(OutboundRecord record) {
        ObjectNode node = MessageLines.object();
        MessageLines.put(node, record.key(), record.message());
        node.put("source_partition", record.source().partition());
        node.put("source_offset", record.source().offset());
        return MessageLines.write(node);
    }
}
