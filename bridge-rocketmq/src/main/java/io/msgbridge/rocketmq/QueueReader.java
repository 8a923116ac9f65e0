package io.msgbridge.rocketmq;

import io.msgbridge.backend.PartitionDrain;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.SourceRecord;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queues a {@link RocketMqSource} reads now, on its lite pull consumer, and the records it hands out of
 * them. Queues are taken (assigned and sought to where they start) and given up while the pump polls: one
 * lock orders the two, so a record of a queue is handed out only while the queue is owned, and never from
 * before the offset the queue started at. Polling holds the lock for at most {@value #WAIT_SLICE_MS} ms
 * at a time.
 *
 * <p>In {@code mode: group} each record handed out is tracked in a {@link PartitionDrain} until it is done,
 * so that a queue being given up can wait for its records in flight.
 */
final class QueueReader {
    private static final long WAIT_SLICE_MS = 100;

    private final DefaultLitePullConsumer consumer;
    private final QueueRequests requests;
    private final String topic;
    private final String where;
    private final PartitionDrain<MessageQueue> drain;
    private final boolean commits;
    private final ReentrantLock lock = new ReentrantLock(true);
    /** Messages the client returned that the pump has not taken yet. Under {@link #lock}. */
    private final ArrayDeque<MessageExt> pending = new ArrayDeque<>();
    /** Per owned queue, the offset it started at: a watermark below it is never written as the group's offset. */
    private final Map<MessageQueue, Long> floors = new ConcurrentHashMap<>();
    /** Per owned queue's partition name, the offset of the next message to hand out. */
    private final Map<String, Long> next = new ConcurrentHashMap<>();

    /**
     * {@code drain} is null where queues never move ({@code mode: assign}); {@code commits} false where the
     * group's offsets are never written (a tap, whose client keeps them in memory only).
     */
    QueueReader(DefaultLitePullConsumer consumer, QueueRequests requests, String topic, String where,
                PartitionDrain<MessageQueue> drain, boolean commits) {
        this.consumer = consumer;
        this.requests = requests;
        this.topic = topic;
        this.where = where;
        this.drain = drain;
        this.commits = commits;
    }

    /**
     * Starts reading {@code starts}' queues, each at its offset. The client starts a pull task for a queue the
     * moment it is assigned, and that first pull reads where to start from the client's in-memory group
     * offset, else the group's offset on the broker. So the start offset is put in both before the queue is
     * assigned, rather than sought after: a seek after {@code assign} races the first pull, whose records
     * (from the client's own default start, the queue's end) could then arrive after the seek and ahead of
     * the records sought. The broker's copy is for when the client drops its in-memory one before the pull
     * task reads it (its periodic offset write forgets the offsets of queues not assigned yet); a source
     * that never commits writes none, as its client's in-memory store forgets nothing.
     */
    void take(Map<MessageQueue, Long> starts) throws Exception {
        if (starts.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            for (Map.Entry<MessageQueue, Long> e : starts.entrySet()) {
                if (commits) {
                    requests.writeGroupOffset(e.getKey(), e.getValue());
                }
                consumer.getOffsetStore().updateOffset(consumer.queueWithNamespace(e.getKey()), e.getValue(), false);
            }
            Set<MessageQueue> all = new java.util.HashSet<>(floors.keySet());
            all.addAll(starts.keySet());
            consumer.assign(namespaced(all));
            for (Map.Entry<MessageQueue, Long> e : starts.entrySet()) {
                MessageQueue queue = e.getKey();
                floors.put(queue, e.getValue());
                next.put(QueuePartition.name(queue), e.getValue());
                if (drain != null) {
                    drain.own(queue);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops handing out records of {@code queues}: their messages fetched and not taken are dropped, their
     * fetching paused. They stay assigned (their group offset can still be set) until {@link #remove}.
     * Returns how many fetched messages were dropped.
     */
    int stop(Collection<MessageQueue> queues) {
        lock.lock();
        try {
            queues.forEach(floors::remove);
            int before = pending.size();
            pending.removeIf(m -> queues.contains(queueOf(m)));
            consumer.pause(namespaced(queues));
            return before - pending.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets the client's in-memory group offset of a stopped queue to {@code nextOffset}, the value just
     * written to the broker, so that the client's own periodic write repeats it rather than an older one.
     */
    void written(MessageQueue queue, long nextOffset) {
        consumer.commit(Map.of(consumer.queueWithNamespace(queue), nextOffset), false);
    }

    /** Unassigns stopped queues: the client forgets them (and no longer writes their group offsets). */
    void remove(Collection<MessageQueue> queues) {
        lock.lock();
        try {
            queues.forEach(q -> next.remove(QueuePartition.name(q)));
            if (floors.isEmpty()) {
                consumer.unsubscribe(topic);
            } else {
                consumer.assign(namespaced(floors.keySet()));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code queues} with the client's namespace, as new objects where there is one: rocketmq-client's
     * {@code assign} and {@code pause} add it by setting the topic of the very queues they are given, which
     * renamed this reader's keys (and the caller's), so that no message (the client hands them out with the
     * topic without the namespace) was of an owned queue any more.
     */
    private List<MessageQueue> namespaced(Collection<MessageQueue> queues) {
        return queues.stream().map(consumer::queueWithNamespace).toList();
    }

    Set<MessageQueue> owned() {
        return Set.copyOf(floors.keySet());
    }

    /** The offset {@code queue} started at when it was taken, or null when it is not owned. */
    Long floor(MessageQueue queue) {
        return floors.get(queue);
    }

    /** The offset of the next message of an owned queue to hand out, or null. */
    Long next(MessageQueue queue) {
        return next.get(QueuePartition.name(queue));
    }

    /** The pump's poll: up to {@code max} records of owned queues, waiting at most {@code timeout} for the first. */
    List<SourceRecord> poll(int max, Duration timeout, java.util.function.BooleanSupplier closed) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            lock.lockInterruptibly();
            try {
                List<SourceRecord> records = hand(max);
                if (!records.isEmpty()) {
                    return records;
                }
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMs <= 0 || closed.getAsBoolean()) {
                    return List.of();
                }
                try {
                    pending.addAll(consumer.poll(Math.min(leftMs, WAIT_SLICE_MS)));
                } catch (RuntimeException e) {
                    if (closed.getAsBoolean()) {
                        return List.of();
                    }
                    throw new RetriableException(where + ": poll failed: " + e.getMessage(), e);
                }
                pending.removeIf(m -> !floors.containsKey(queueOf(m)));
                records = hand(max);
                if (!records.isEmpty()) {
                    return records;
                }
            } finally {
                lock.unlock();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private List<SourceRecord> hand(int max) {
        List<SourceRecord> records = new ArrayList<>(Math.min(max, pending.size()));
        while (records.size() < max && !pending.isEmpty()) {
            MessageExt m = pending.poll();
            Long expected = next.get(QueuePartition.name(queueOf(m)));
            // a pull task the client cancelled (its queue given up and taken again) may still deliver what it
            // pulled: records below the next offset to hand out were handed out already or precede the start
            if (expected != null && m.getQueueOffset() >= expected) {
                records.add(record(m));
            }
        }
        return records;
    }

    private SourceRecord record(MessageExt m) {
        MessageQueue queue = queueOf(m);
        String partition = QueuePartition.name(queue);
        long offset = m.getQueueOffset();
        next.put(partition, offset + 1);
        Position position = QueuePartition.position(queue, offset);
        SourceRecord.Ack ack = drain == null ? SourceRecord.Ack.NONE : drain.handedOut(queue, offset);
        return new SourceRecord(RocketMqMessages.toBridge(m), position, m.getReconsumeTimes() + 1, ack == null ? SourceRecord.Ack.NONE : ack);
    }

    private static MessageQueue queueOf(MessageExt m) {
        return new MessageQueue(m.getTopic(), m.getBrokerName(), m.getQueueId());
    }

    /** Per owned queue, {@code nextOffset} for each watermark at or above the offset it was taken at, keyed as the client knows the queue. */
    Map<MessageQueue, Long> committable(Map<String, Position> watermarks) {
        Map<MessageQueue, Long> offsets = new HashMap<>();
        watermarks.forEach((partition, position) -> {
            MessageQueue queue = QueuePartition.parse(partition);
            Long floor = queue == null ? null : floors.get(queue);
            if (floor != null && position.hasSequence() && position.sequence() + 1 >= floor) {
                offsets.put(consumer.queueWithNamespace(queue), position.sequence() + 1);
            }
        });
        return offsets;
    }
}
