package io.msgbridge.pulsar;

import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageIdAdv;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drops what a seek to a stored position delivers again: per partition, every message up to and
 * including the stored position (a seek lands on the stored message's entry, and on a batch's first
 * message). Once a later message of the partition arrives, the partition is no longer filtered.
 */
final class ResumeFilter {
    private final Map<String, MessageIdAdv> after = new ConcurrentHashMap<>();

    void skipUpTo(String partition, MessageIdAdv stored) {
        after.put(partition, stored);
    }

    /** Whether {@code m} is at or before its partition's stored position. */
    boolean skip(Message<byte[]> m) {
        if (after.isEmpty()) {
            return false;
        }
        MessageIdAdv stored = after.get(m.getTopicName());
        if (stored == null || !(m.getMessageId() instanceof MessageIdAdv id)) {
            return false;
        }
        if (MessageIds.ORDER.compare(id, stored) <= 0) {
            return true;
        }
        after.remove(m.getTopicName());
        return false;
    }
}
