package io.msgbridge.pulsar;

import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageIdAdv;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drops what the broker delivers again. Always: per partition, every message up to and including the
 * stored position a seek resumed from (a seek lands on the stored message's entry, and on a batch's
 * first message). With one consumer per partition ({@code exclusive}, {@code failover}), also every
 * message at or before the highest one already handed out in this run: messages the client had
 * received before a seek, or that the broker redelivers after a reconnect, are in the pipeline
 * already, and handing them out again would send a key's older record after a newer one. With
 * {@code shared} and {@code key_shared} subscriptions a message below that mark may be new to this
 * consumer (another consumer's unacked message), so there only the stored position is filtered.
 */
final class ResumeFilter {
    private final Map<String, MessageIdAdv> upTo = new ConcurrentHashMap<>();
    private final boolean monotonic;

    /** {@code monotonic}: the subscription gives this consumer each partition alone, in order. */
    ResumeFilter(boolean monotonic) {
        this.monotonic = monotonic;
    }

    void skipUpTo(String partition, MessageIdAdv stored) {
        upTo.put(partition, stored);
    }

    /** Whether {@code m} is to be dropped; otherwise, with a monotonic subscription, it is the new mark. */
    boolean skip(Message<byte[]> m) {
        if (!(m.getMessageId() instanceof MessageIdAdv id)) {
            return false;
        }
        MessageIdAdv mark = upTo.get(m.getTopicName());
        if (mark != null && MessageIds.ORDER.compare(id, mark) <= 0) {
            return true;
        }
        if (monotonic) {
            upTo.put(m.getTopicName(), id);
        } else if (mark != null) {
            upTo.remove(m.getTopicName());
        }
        return false;
    }
}
