package io.msgbridge.bench;

import java.util.Locale;

/**
 * How a scenario's records are keyed: record {@code sequence} carries key {@code sequence % distinct}
 * ({@link Payloads#keyName}) as the broker's own key (the NATS key header, the Pulsar message key) and
 * in its payload, so the bridge's {@code key: native} (or {@code json:/key}) orders by exactly
 * {@code distinct} keys. {@link #NONE}: the records carry no broker key and the pipeline says
 * {@code key: none} (nothing ordered), so both variants write the same keyless messages.
 *
 * @param distinct how many keys the records spread over, 1 to {@link Payloads#MAX_KEYS}; 0 for {@link #NONE}
 */
record Keys(int distinct) {
    /** What every scenario used before the key-cardinality scenarios, and still does by default: 1,000 keys. */
    static final Keys THOUSAND = new Keys(1000);
    /** No key at all, and {@code key: none}. */
    static final Keys NONE = new Keys(0);

    Keys {
        if (distinct < 0 || distinct > Payloads.MAX_KEYS) {
            throw new IllegalArgumentException("a scenario's records spread over 0 (none) to " + Payloads.MAX_KEYS + " keys, not " + distinct);
        }
    }

    /** Whether the records carry a key. */
    boolean keyed() {
        return distinct > 0;
    }

    /** Which of the keys record {@code sequence} has (0 when the records carry none). */
    int index(long sequence) {
        return keyed() ? (int) (sequence % distinct) : 0;
    }

    /** The broker key of record {@code sequence}; null when the records carry none. */
    String of(long sequence) {
        return keyed() ? Payloads.keyName(index(sequence)) : null;
    }

    /** The pipeline's {@code key:}: {@code sourceKey} (how the source reads the records' key), or {@code none}. */
    String pipelineKey(String sourceKey) {
        return keyed() ? sourceKey : "none";
    }

    /** For the report: "1", "10", "1,000" or "none". */
    String label() {
        return keyed() ? String.format(Locale.ROOT, "%,d", distinct) : "none";
    }
}
