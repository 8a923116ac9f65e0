package io.msgbridge.kafka;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Translates between Kafka records and the bridge's {@link Message}. Stateless and thread-safe.
 *
 * <p>From Kafka: topic, key (UTF-8 text), headers (every value, in order; a null value as empty text),
 * then {@value #PARTITION}, {@value #OFFSET} and {@value #TIMESTAMP_TYPE} ({@code CreateTime} or
 * {@code LogAppendTime}), and {@value #TOMBSTONE} for a record with a null value; event time = the
 * record's timestamp. A key or header value that is not UTF-8 text cannot be carried as text: the
 * message then holds it in base64 and names it in {@value #BASE64}, and {@link #unreadable} says why.
 *
 * <p>To Kafka: key bytes from the key the pipeline computed, headers in order (the {@code Bridge-Kafka-*}
 * ones are not copied, so a mirror carries the same headers as the original), timestamp from the event
 * time, and a null value for a tombstone.
 */
final class KafkaMessageMapper {
    static final String PARTITION = "Bridge-Kafka-Partition";
    static final String OFFSET = "Bridge-Kafka-Offset";
    static final String TIMESTAMP_TYPE = "Bridge-Kafka-Timestamp-Type";
    static final String TOMBSTONE = "Bridge-Kafka-Tombstone";
    static final String BASE64 = "Bridge-Kafka-Base64";
    private static final String OWN_PREFIX = "Bridge-Kafka-";
    private static final byte[] EMPTY = new byte[0];
    private static final String KEY = "(key)";

    private KafkaMessageMapper() {
    }

    /** A Kafka record as a message, and what of it could not be read as text (empty when all could). */
    record Mapped(Message message, List<String> notText) {
        boolean readable() {
            return notText.isEmpty();
        }

        /** Why the record cannot be carried as it is, for the dead-letter route. */
        String unreadable() {
            return "not UTF-8 text, carried in base64 (see header " + BASE64 + "): " + String.join(", ", notText);
        }
    }

    static Mapped toBridge(ConsumerRecord<byte[], byte[]> in) {
        List<String> notText = new ArrayList<>(0);
        String key = null;
        if (in.key() != null) {
            key = text(in.key());
            if (key == null) {
                key = Base64.getEncoder().encodeToString(in.key());
                notText.add(KEY);
            }
        }
        org.apache.kafka.common.header.Headers kafkaHeaders = in.headers();
        List<Headers.Header> headers = new ArrayList<>(4);
        for (Header h : kafkaHeaders) {
            byte[] raw = h.value();
            String value = raw == null ? "" : text(raw);
            if (value == null) {
                value = Base64.getEncoder().encodeToString(raw);
                notText.add(h.key());
            }
            headers.add(new Headers.Header(h.key(), value));
        }
        headers.add(new Headers.Header(PARTITION, Integer.toString(in.partition())));
        headers.add(new Headers.Header(OFFSET, Long.toString(in.offset())));
        if (in.timestampType() != TimestampType.NO_TIMESTAMP_TYPE) {
            headers.add(new Headers.Header(TIMESTAMP_TYPE, in.timestampType().name));
        }
        if (in.value() == null) {
            headers.add(new Headers.Header(TOMBSTONE, "true"));
        }
        if (!notText.isEmpty()) {
            headers.add(new Headers.Header(BASE64, String.join(",", notText)));
        }
        Instant eventTime = in.timestamp() >= 0 ? Instant.ofEpochMilli(in.timestamp()) : null;
        byte[] value = in.value() == null ? EMPTY : in.value();
        return new Mapped(new Message(in.topic(), key, value, Headers.of(headers), eventTime), List.copyOf(notText));
    }

    /** UTF-8 text of {@code bytes}, or null when they are not UTF-8; ASCII, the usual case, without a decoder. */
    static String text(byte[] bytes) {
        boolean ascii = true;
        for (byte b : bytes) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * The producer record for {@code message} to {@code topic}; {@code partition} null for the producer's
     * choice, {@code key} the key the pipeline computed (null for none).
     */
    static ProducerRecord<byte[], byte[]> toKafka(Message message, String topic, Integer partition, String key) {
        List<Headers.Header> entries = message.headers().entries();
        RecordHeaders headers = new RecordHeaders();
        boolean tombstone = false;
        for (Headers.Header h : entries) {
            if (isOwn(h.name())) {
                tombstone |= h.name().equals(TOMBSTONE);
            } else {
                headers.add(new RecordHeader(h.name(), h.value().getBytes(StandardCharsets.UTF_8)));
            }
        }
        Long timestamp = message.eventTime() == null || message.eventTime().toEpochMilli() < 0 ? null : message.eventTime().toEpochMilli();
        byte[] value = tombstone && message.payload().length == 0 ? null : message.payload();
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, partition, timestamp, keyBytes, value, headers);
    }

    /** Whether a header is one of this backend's own; the first letter rules out most at once. */
    private static boolean isOwn(String name) {
        return !name.isEmpty() && name.charAt(0) == 'B' && name.startsWith(OWN_PREFIX);
    }

    /** The source partition number a Kafka source put on the message, or -1 when it has none. */
    static int sourcePartition(Message message) {
        for (Headers.Header h : message.headers().entries()) {
            if (h.name().equals(PARTITION)) {
                try {
                    return Integer.parseInt(h.value());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
