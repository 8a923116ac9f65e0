package io.msgbridge.bench;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The benchmark's records: a fixed-size payload whose first 16 bytes carry the producer's publish
 * time (epoch nanoseconds) and the record's sequence number, so an end consumer can measure latency
 * and count each record once whatever path it took.
 */
final class Payloads {
    /** The payload size of every scenario unless it says otherwise. */
    static final int SIZE = 1024;
    /** The header carrying a record's ordering key (the NATS backend's default key header). */
    static final String KEY_HEADER = "Sharding-Key";
    /** Distinct keys the records spread over. */
    static final int KEYS = 1000;

    private Payloads() {
    }

    /** A payload stamped now with {@code sequence}. */
    static byte[] stamped(long sequence, int size) {
        byte[] payload = new byte[size];
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        buffer.putLong(nowNanos());
        buffer.putLong(sequence);
        for (int i = 16; i < size; i++) {
            payload[i] = (byte) ('a' + (i % 26));
        }
        return payload;
    }

    /** The key of record {@code sequence}: one of {@link #KEYS}. */
    static String key(long sequence) {
        return "k" + (sequence % KEYS);
    }

    static long publishedAtNanos(byte[] payload) {
        return ByteBuffer.wrap(payload).getLong(0);
    }

    static long sequence(byte[] payload) {
        return ByteBuffer.wrap(payload).getLong(8);
    }

    /** Wall-clock epoch nanoseconds (microsecond precision on Linux), comparable across processes. */
    static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
