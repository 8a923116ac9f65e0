package io.msgbridge.testing;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keyed records that tests send through a pipeline, whatever the broker: record {@code i} of a run
 * over {@code K} keys has the key {@code key-((i * 7919) mod K)}, and each key's records are numbered
 * 0, 1, 2, ... in the payload {@code {"k":"key-N","n":SEQ_WITHIN_KEY}}, so that the far end can check
 * per-key order from the payloads alone. An instance numbers the records it makes; the static methods
 * check what arrived.
 */
public final class KeyedRecords {
    private final Map<String, Integer> next = new HashMap<>();
    private final int firstPerKey;

    /** Numbers each key's records from 0, and on from there across calls. */
    public KeyedRecords() {
        this(0);
    }

    /** Numbers each key's records from {@code firstPerKey}: to go on from a run that gave every key that many. */
    public KeyedRecords(int firstPerKey) {
        this.firstPerKey = firstPerKey;
    }

    /** A record: its key and its payload. */
    public record Record(String key, String body) {
        public byte[] bytes() {
            return body.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Record {@code i} of a run over {@code keys} keys. */
    public Record next(int i, int keys) {
        return next(i, keys, "");
    }

    /** Like {@link #next(int, int)}, with {@code padding} after the number in the payload ({@code ,"pad":"xxx"}). */
    public Record next(int i, int keys, String padding) {
        String key = "key-" + (int) ((i * 7919L) % keys);
        int n = firstPerKey + next.merge(key, 1, Integer::sum) - 1;
        return new Record(key, "{\"k\":\"" + key + "\",\"n\":" + n + padding + "}");
    }

    public static String keyOf(String body) {
        return body.replaceAll(".*\"k\":\"([^\"]+)\".*", "$1");
    }

    public static int numberOf(String body) {
        return Integer.parseInt(body.replaceAll(".*\"n\":(\\d+).*", "$1"));
    }

    /**
     * Asserts that per key the payloads count 0, 1, 2, ... with no gap and no repeat, and, with a
     * {@code key} function, that each record's own key (a header, the broker's key) is the payload's.
     *
     * @param body  a record's payload
     * @param key   a record's key as the broker has it; null to not check it
     * @param where where a record is (a stream sequence, a partition and offset), for a failure's message
     * @return records per key
     */
    public static <T> Map<String, Integer> assertPerKeyOrderWithoutGapsOrDuplicates(List<T> records, Function<T, String> body,
                                                                                   Function<T, String> key, Function<T, String> where) {
        Map<String, Integer> next = new HashMap<>();
        for (T record : records) {
            String payload = body.apply(record);
            String k = keyOf(payload);
            int expected = next.getOrDefault(k, 0);
            assertThat(numberOf(payload)).as(() -> "record of %s at %s (body %s)".formatted(k, where.apply(record), payload))
                    .isEqualTo(expected);
            next.put(k, expected + 1);
            if (key != null) {
                assertThat(key.apply(record)).as(() -> "key of the record at " + where.apply(record)).isEqualTo(k);
            }
        }
        return next;
    }

    /**
     * Asserts that per key no number is skipped, while a redelivery may go back and repeat a run of them
     * (what an at-least-once sink promises); returns per key how many distinct records arrived.
     */
    public static Map<String, Integer> assertNothingLostPerKeyOrdered(List<String> bodies) {
        Map<String, Integer> next = new HashMap<>();
        for (String body : bodies) {
            String key = keyOf(body);
            int n = numberOf(body);
            int expected = next.getOrDefault(key, 0);
            assertThat(n).as("record of %s: no gap (a redelivery may repeat earlier ones)", key).isLessThanOrEqualTo(expected);
            if (n == expected) {
                next.put(key, expected + 1);
            }
        }
        return next;
    }
}
