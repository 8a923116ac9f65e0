package io.msgbridge.rocketmq;

import org.apache.rocketmq.client.consumer.store.OffsetStore;
import org.apache.rocketmq.client.consumer.store.ReadOffsetType;
import org.apache.rocketmq.common.message.MessageQueue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The offsets of a lite pull consumer that never commits (a tap): kept in memory only. rocketmq-client's
 * own store writes the offsets of the assigned queues to the brokers every few seconds and at shutdown,
 * which would leave offsets of the throwaway group behind; this one writes nothing and never asks a broker.
 */
final class MemoryOffsetStore implements OffsetStore {
    private final Map<MessageQueue, Long> offsets = new ConcurrentHashMap<>();

    @Override
    public void load() {
    }

    @Override
    public void updateOffset(MessageQueue mq, long offset, boolean increaseOnly) {
        if (increaseOnly) {
            offsets.merge(mq, offset, Math::max);
        } else {
            offsets.put(mq, offset);
        }
    }

    @Override
    public void updateAndFreezeOffset(MessageQueue mq, long offset) {
        offsets.put(mq, offset);
    }

    /** The offset kept, or -1 (the client's "none": it then starts where its consume-from-where says). */
    @Override
    public long readOffset(MessageQueue mq, ReadOffsetType type) {
        return offsets.getOrDefault(mq, -1L);
    }

    @Override
    public void persistAll(Set<MessageQueue> mqs) {
    }

    @Override
    public void persist(MessageQueue mq) {
    }

    @Override
    public void removeOffset(MessageQueue mq) {
        offsets.remove(mq);
    }

    @Override
    public Map<MessageQueue, Long> cloneOffsetTable(String topic) {
        return offsets.entrySet().stream().filter(e -> e.getKey().getTopic().equals(topic))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Override
    public void updateConsumeOffsetToBroker(MessageQueue mq, long offset, boolean isOneway) {
    }
}
