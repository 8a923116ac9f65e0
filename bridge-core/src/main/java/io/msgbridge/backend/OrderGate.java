package io.msgbridge.backend;

import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.SinkOrdering;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For a sink that promises strict order with several records of a key in flight ({@link SinkOrdering}):
 * once a record of an ordering key failed, the key's later records are refused (retriable) until the
 * runtime resumes the key ({@link OutboundRecord#resumes()}), so that none of them is stored ahead of
 * the failed one. Check {@link #admit} as late as possible before a record goes on the wire (on the
 * thread that writes), and call {@link #failed} before the failure is reported. Thread-safe.
 *
 * <p>The ordering key is the record's key, or its source partition when it has none, which is how the
 * runtime orders records when order is kept per key; a sink ordering per source partition passes
 * {@code perPartition}.
 */
public final class OrderGate {
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    private final boolean perPartition;

    public OrderGate(boolean perPartition) {
        this.perPartition = perPartition;
    }

    /**
     * Whether the record may go on: false when an earlier record of its key failed and the runtime has
     * not resumed the key yet (fail it as retriable then; the runtime publishes it again in order).
     */
    public boolean admit(OutboundRecord record) {
        if (failed.isEmpty()) {
            return true;
        }
        String key = keyOf(record);
        if (record.resumes()) {
            failed.remove(key);
            return true;
        }
        return !failed.contains(key);
    }

    /** The record failed: the later records of its key are refused until the runtime resumes the key. */
    public void failed(OutboundRecord record) {
        failed.add(keyOf(record));
    }

    private String keyOf(OutboundRecord record) {
        return perPartition || record.key() == null ? "\u0000" + record.source().partition() : record.key();
    }
}
