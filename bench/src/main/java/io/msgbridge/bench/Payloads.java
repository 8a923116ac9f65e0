package io.msgbridge.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The benchmark's records of one size: a fixed-size JSON document whose fixed-width fields carry the
 * producer's publish time (epoch nanoseconds), the record's sequence number and its key, so an end
 * consumer can measure latency and count each record once whatever path it took, and a pipeline can
 * take the key from the payload ({@code key: json:/key}) where the broker has none (NSQ):
 * {@code {"sent":"1763900000123456789","seq":"0000000000000000042","key":"k042","pad":"abc..."}}.
 * The key field is as wide for one key as for {@link #MAX_KEYS}, so records of one size are that size
 * whatever their key. The static methods read any size.
 */
final class Payloads {
    /** The header carrying a record's ordering key (the NATS backend's default key header). */
    static final String KEY_HEADER = "Sharding-Key";
    /** The most distinct keys a scenario's records spread over ({@link Keys}). */
    static final int MAX_KEYS = 1000;
    /** The pipeline's {@code key:} for sources without keys of their own: the payload's key field. */
    static final String JSON_KEY = "json:/key";

    private static final int NUMBER_DIGITS = 19;
    private static final int KEY_DIGITS = Integer.toString(MAX_KEYS - 1).length();
    private static final String SENT = "{\"sent\":\"";
    private static final String SEQUENCE = "\",\"seq\":\"";
    private static final String KEY = "\",\"key\":\"k";
    private static final String PAD = "\",\"pad\":\"";
    private static final String END = "\"}";
    private static final int SENT_AT = SENT.length();
    private static final int SEQUENCE_AT = SENT_AT + NUMBER_DIGITS + SEQUENCE.length();
    private static final int KEY_AT = SEQUENCE_AT + NUMBER_DIGITS + KEY.length();
    private static final int MIN_SIZE = KEY_AT + KEY_DIGITS + PAD.length() + END.length();
    private static final String[] KEY_NAMES = keyNames();
    /** 1 KiB: the payload of the scenarios that do not name one ({@link Volume#DEFAULT}); after the fields above, which it needs. */
    static final Payloads KIB = new Payloads(1024);

    private final byte[] template;

    /** Payloads of {@code size} bytes: at least the stamped fields' size (about 100). */
    Payloads(int size) {
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("a bench payload has at least " + MIN_SIZE + " bytes (its stamped fields), not " + size);
        }
        this.template = template(size);
    }

    /** The size of each payload, in bytes. */
    int size() {
        return template.length;
    }

    /** A payload of {@link #size()} bytes stamped now with {@code sequence} and its key among {@code keys}. */
    byte[] stamped(long sequence, Keys keys) {
        byte[] payload = template.clone();
        write(payload, SENT_AT, NUMBER_DIGITS, nowNanos());
        write(payload, SEQUENCE_AT, NUMBER_DIGITS, sequence);
        write(payload, KEY_AT, KEY_DIGITS, keys.index(sequence));
        return payload;
    }

    /** The name of key {@code index} (0 to {@link #MAX_KEYS} - 1), as the payload's key field spells it. */
    static String keyName(int index) {
        return KEY_NAMES[index];
    }

    /** The publish time in a payload; -1 when it is not one of ours. */
    static long publishedAtNanos(byte[] payload) {
        return read(payload, SENT_AT);
    }

    /** The sequence number in a payload; -1 when it is not one of ours. */
    static long sequence(byte[] payload) {
        return read(payload, SEQUENCE_AT);
    }

    /** Wall-clock epoch nanoseconds (microsecond precision on Linux), comparable across processes. */
    static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static void write(byte[] payload, int at, int digits, long value) {
        long rest = value;
        for (int i = at + digits - 1; i >= at; i--) {
            payload[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
    }

    private static long read(byte[] payload, int at) {
        if (payload.length < at + NUMBER_DIGITS) {
            return -1;
        }
        long value = 0;
        for (int i = at; i < at + NUMBER_DIGITS; i++) {
            int digit = payload[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static byte[] template(int size) {
        String zeros = "0".repeat(NUMBER_DIGITS);
        String head = SENT + zeros + SEQUENCE + zeros + KEY + "0".repeat(KEY_DIGITS) + PAD;
        StringBuilder json = new StringBuilder(head);
        for (int i = head.length(); i < size - END.length(); i++) {
            json.append((char) ('a' + i % 26));
        }
        return json.append(END).toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String[] keyNames() {
        String[] names = new String[MAX_KEYS];
        for (int i = 0; i < MAX_KEYS; i++) {
            names[i] = ("k%0" + KEY_DIGITS + "d").formatted(i);
        }
        return names;
    }
}
