package io.msgbridge.rocketmq;

import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The read-back of a RocketMQ sink with a fixed topic ({@link io.msgbridge.spi.Connector.SinkSpec#reader()},
 * for {@code bridge dlq list|replay}), or the reading of a source's topic without consuming it
 * ({@link io.msgbridge.spi.Connector.SourceSpec#reader()}, for {@code bridge verify}): every message queue
 * of the topic from its first offset (or after the stored position) up to the max offset it had when
 * {@link #start} ran, with the tag expression given. Positions are named as {@link RocketMqSource} names
 * them ({@code TOPIC/BROKER/QUEUE_ID}, the queue offset).
 *
 * <p>Each queue is pulled from an offset the reader keeps itself, synchronously on the caller's thread, with
 * rocketmq-client's pull consumer (the one client that pulls a given offset; the lite pull consumer starts
 * from a group offset). Pulls name the group {@value #GROUP} (the broker needs one) and never commit, so
 * no group's offset moves and no member joins the source's group. {@link #close} waits for a pull under
 * way (at most the connection's {@code operation-timeout}).
 */
@SuppressWarnings("deprecation")
final class RocketMqReadBackSource implements Source {
    /** The consumer group every read-back pulls under; it never has offsets. */
    static final String GROUP = "bridge-read-back";
    private static final int PULL_BATCH = 32;

    private final RocketMqConnectionOptions connection;
    private final String topic;
    private final String tag;
    private final ReentrantLock lock = new ReentrantLock();
    /** Per queue, the offset of the next message to pull; sorted by partition name. Under {@link #lock}. */
    private final Map<MessageQueue, Long> next = new TreeMap<>(Comparator.comparing(QueuePartition::name));
    /** Per queue, its max offset at start: messages from there on are not read. */
    private final Map<MessageQueue, Long> ends = new TreeMap<>(Comparator.comparing(QueuePartition::name));
    private volatile DefaultMQPullConsumer consumer;
    private volatile boolean closed;
    private volatile long lag = -1;
    private String where = "rocketmq read-back";

    /** Reads {@code topic} (as configured, without the namespace), filtered by the tag expression {@code tag}. */
    RocketMqReadBackSource(RocketMqConnectionOptions connection, String topic, String tag) {
        this.connection = connection;
        this.topic = topic;
        this.tag = tag;
    }

    @Override
    public void start(SourceContext context) {
        where = context.pipeline() + ": rocketmq read-back of topic " + topic + " on " + connection.describe();
        lock.lock();
        try {
            DefaultMQPullConsumer c = new DefaultMQPullConsumer(GROUP, RocketMqClients.rpcHook(connection));
            RocketMqClients.configure(c, connection, context.pipeline(), "read-back", where);
            c.setEnableRebalance(false);
            try {
                c.start();
                for (MessageQueue queue : c.fetchSubscribeMessageQueues(topic)) {
                    long first = c.minOffset(queue);
                    long end = c.maxOffset(queue);
                    Position after = context.stored().get(QueuePartition.name(queue));
                    next.put(queue, after == null ? first : Math.max(first, Math.min(end, offsetAfter(after))));
                    ends.put(queue, end);
                }
            } catch (Exception e) {
                c.shutdown();
                throw RocketMqFailures.onStart(where, connection, "cannot read topic " + topic, e);
            }
            consumer = c;
            updateLag();
        } finally {
            lock.unlock();
        }
    }

    private long offsetAfter(Position stored) {
        if (!stored.hasSequence()) {
            throw new PermanentException(where + ": the stored position of " + stored.partition() + " is not a queue offset: "
                    + stored.offset());
        }
        return stored.sequence() + 1;
    }

    /**
     * Pulls the queues not read to their end, in turn, until {@code max} records, every queue is read or no
     * pull moved on (tried again on the next poll); past {@code timeout} it returns what it has. Once every queue is read: an empty list, after a pause of at
     * most 100 ms so that a caller polling in a loop does not spin.
     */
    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<SourceRecord> records = new ArrayList<>();
        lock.lockInterruptibly();
        try {
            DefaultMQPullConsumer c = consumer;
            if (c == null || closed) {
                return List.of();
            }
            boolean more = true;
            while (more && records.size() < max && !closed && (records.isEmpty() || System.nanoTime() < deadline)) {
                more = false;
                for (Map.Entry<MessageQueue, Long> e : next.entrySet()) {
                    long end = ends.get(e.getKey());
                    if (e.getValue() >= end || records.size() >= max) {
                        continue;
                    }
                    long from = e.getValue();
                    e.setValue(pull(c, e.getKey(), from, end, max - records.size(), records));
                    more |= e.getValue() > from && e.getValue() < end;
                }
            }
            updateLag();
        } finally {
            lock.unlock();
        }
        if (records.isEmpty() && lag == 0) {
            Thread.sleep(Math.min(timeout.toMillis(), 100));
        }
        return records;
    }

    /** Pulls up to {@code max} messages of {@code queue} from {@code offset}, adds those before {@code end}; returns the next offset. */
    private long pull(DefaultMQPullConsumer c, MessageQueue queue, long offset, long end, int max, List<SourceRecord> out)
            throws InterruptedException {
        PullResult result;
        try {
            result = c.pull(queue, tag, offset, Math.min(max, PULL_BATCH), connection.operationTimeout().toMillis());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new RetriableException(where + ": pulling " + QueuePartition.name(queue) + " at offset " + offset + " failed: "
                    + RocketMqFailures.scrub(String.valueOf(e.getMessage()), connection), e);
        }
        List<MessageExt> found = result.getMsgFoundList();
        if (found != null) {
            for (MessageExt m : found) {
                if (m.getQueueOffset() >= offset && m.getQueueOffset() < end) {
                    out.add(new SourceRecord(RocketMqMessages.toBridge(m), QueuePartition.position(queue, m.getQueueOffset())));
                }
            }
        }
        // past filtered messages too (the tag expression), or to where the broker says the queue goes on
        return Math.max(offset, result.getNextBeginOffset());
    }

    private void updateLag() {
        long total = 0;
        for (Map.Entry<MessageQueue, Long> e : next.entrySet()) {
            total += Math.max(0, ends.get(e.getKey()) - e.getValue());
        }
        lag = total;
    }

    @Override
    public boolean connected() {
        return consumer != null && !closed;
    }

    /** Messages up to the max offsets seen at start not yet read past: 0 once every queue was. */
    @Override
    public long lag() {
        return lag;
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            DefaultMQPullConsumer c = consumer;
            consumer = null;
            if (c != null) {
                c.shutdown();
            }
        } catch (RuntimeException e) {
            // shutting down a client that commits nothing: nothing is lost
        } finally {
            lock.unlock();
        }
    }
}
