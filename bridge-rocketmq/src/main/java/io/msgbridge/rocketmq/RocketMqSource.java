package io.msgbridge.rocketmq;

import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.impl.FindBrokerResult;
import org.apache.rocketmq.client.impl.MQClientManager;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.header.QueryConsumerOffsetRequestHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A RocketMQ source: a {@link DefaultLitePullConsumer} assigned every message queue of the topic (no
 * rebalancing: the bridge's offset store and lease decide who reads), filtered by the tag expression.
 *
 * <p>Position: partition = {@code TOPIC/BROKER/QUEUE_ID} ({@link QueuePartition}), offset and sequence =
 * the queue offset. Attempts = the message's reconsume times + 1.
 *
 * <p>Resume: with {@link SourceContext.Resume#STORE} each queue with a stored position is sought to the
 * offset after it; queues without one, and {@link SourceContext.Resume#BROKER}, start at the consumer
 * group's offset on the broker, or, where the group has none, at the queue's first or last message
 * ({@code initial-position}). Commits: {@link #committed} writes each queue's watermark + 1 as the
 * group's offset on the broker, so RocketMQ's own tools show the group's progress and lag.
 *
 * <p>Read-ahead: the client pulls in the background and holds at most about
 * {@link SourceContext#readAhead()} bytes (spread over the queues, in whole MiB per queue, at least one)
 * and {@link SourceContext#maxInFlight()} messages that the pipeline has not taken yet.
 *
 * <p>Lag: per queue, the broker's max offset minus the next offset to hand out, summed, refreshed every
 * {@value #REFRESH_SECONDS} s on a thread of the source's own; that request is also the health check behind
 * {@link #connected()}.
 */
final class RocketMqSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(RocketMqSource.class);
    private static final long WAIT_SLICE_MS = 100;
    private static final long REFRESH_SECONDS = 2;
    private static final long MIB = 1 << 20;

    private final RocketMqConnectionOptions connection;
    private final RocketMqSourceOptions options;
    private final ArrayDeque<MessageExt> pending = new ArrayDeque<>();
    private final Map<String, MessageQueue> queues = new ConcurrentHashMap<>();
    /** Per partition, the offset of the next message to hand out. */
    private final Map<String, Long> next = new ConcurrentHashMap<>();
    private volatile DefaultLitePullConsumer consumer;
    private volatile ScheduledExecutorService refresher;
    private volatile long lag = -1;
    private volatile boolean reachable;
    private volatile boolean closed;
    private String pipeline = "?";

    RocketMqSource(RocketMqConnectionOptions connection, RocketMqSourceOptions options) {
        this.connection = connection;
        this.options = options;
    }

    @Override
    public void start(SourceContext context) throws InterruptedException {
        pipeline = context.pipeline();
        DefaultLitePullConsumer c = new DefaultLitePullConsumer(options.group(pipeline), RocketMqClients.rpcHook(connection));
        RocketMqClients.configure(c, connection, pipeline, "source", where());
        c.setAutoCommit(false);
        int batch = Math.max(1, Math.min(options.pullBatch(), context.maxInFlight()));
        c.setPullBatchSize(batch);
        c.setPullThresholdForAll(Math.max(batch, context.maxInFlight()));
        c.setSubExpressionForAssign(options.topic(), options.tag());
        try {
            c.start();
            Collection<MessageQueue> all = c.fetchMessageQueues(options.topic());
            if (all.isEmpty()) {
                throw new RetriableException(where() + ": topic " + options.topic() + " has no message queues yet");
            }
            c.setPullThresholdForQueue(Math.max(batch, context.maxInFlight() / all.size()));
            c.setPullThresholdSizeForQueue((int) Math.max(1, context.readAhead() / all.size() / MIB));
            c.assign(all);
            MQClientInstance instance = MQClientManager.getInstance().getFactoryTable().get(c.buildMQClientId());
            for (MessageQueue queue : all) {
                String partition = QueuePartition.name(queue);
                queues.put(partition, queue);
                Position stored = context.resume() == SourceContext.Resume.STORE ? context.stored().get(partition) : null;
                next.put(partition, seek(c, instance, queue, stored));
            }
        } catch (InterruptedException e) {
            c.shutdown();
            throw e;
        } catch (Exception e) {
            c.shutdown();
            queues.clear();
            next.clear();
            throw RocketMqFailures.onStart(where(), connection, "cannot read topic " + options.topic(), e);
        }
        consumer = c;
        reachable = true;
        LOG.info("{}: reading {} queues as group '{}'", where(), queues.size(), options.group(pipeline));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rocketmq-lag-" + pipeline);
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::refreshLag, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
        refresher = scheduler;
        if (closed) {
            close();
        }
    }

    /**
     * Positions the consumer on {@code queue}: after {@code stored} when given, else at the group's offset,
     * else at the queue's first or last message. Returns the offset it reads from next. The group's offset
     * is asked for in any case: it is the request that proves the credentials at start.
     */
    private long seek(DefaultLitePullConsumer c, MQClientInstance instance, MessageQueue queue, Position stored) throws Exception {
        String partition = QueuePartition.name(queue);
        long groupOffset = groupOffset(instance, c, queue);
        long first = instance.getMQAdminImpl().minOffset(queue);
        long end = instance.getMQAdminImpl().maxOffset(queue);
        long offset;
        if (stored != null) {
            offset = storedOffset(partition, stored) + 1;
            if (offset < first || offset > end) {
                long moved = offset < first ? first : end;
                LOG.warn("{}: {} cannot resume after stored position {}: the queue holds offsets {} to {}; reading from {}{}",
                        pipeline, partition, stored.offset(), first, end, moved, offset < first
                                ? " (the messages in between were removed by the broker's retention)" : " (the queue is behind the store)");
                offset = moved;
            } else {
                LOG.info("{}: {} resumes after stored position {}", pipeline, partition, stored.offset());
            }
        } else if (groupOffset >= 0) {
            offset = Math.max(first, Math.min(end, groupOffset));
        } else {
            offset = options.initialPosition() == RocketMqSourceOptions.InitialPosition.LATEST ? end : first;
        }
        c.seek(queue, offset);
        return offset;
    }

    /**
     * The consumer group's offset of {@code queue} on its broker, or -1 when the group has none. Asked with
     * {@code setZeroIfNotFound=false}: the client's own {@code committed} lets the broker answer 0 for a
     * group it does not know while the queue's first messages are still in memory, which would read a new
     * group with {@code initial-position: latest} from the start.
     */
    private long groupOffset(MQClientInstance instance, DefaultLitePullConsumer c, MessageQueue queue) throws Exception {
        FindBrokerResult broker = instance.findBrokerAddressInSubscribe(queue.getBrokerName(), MixAll.MASTER_ID, true);
        if (broker == null) {
            instance.updateTopicRouteInfoFromNameServer(queue.getTopic());
            broker = instance.findBrokerAddressInSubscribe(queue.getBrokerName(), MixAll.MASTER_ID, true);
        }
        if (broker == null) {
            throw new RetriableException(where() + ": no address of broker " + queue.getBrokerName() + " yet");
        }
        QueryConsumerOffsetRequestHeader header = new QueryConsumerOffsetRequestHeader();
        header.setConsumerGroup(c.withNamespace(options.group(pipeline)));
        header.setTopic(queue.getTopic());
        header.setQueueId(queue.getQueueId());
        header.setSetZeroIfNotFound(false);
        try {
            return instance.getMQClientAPIImpl().queryConsumerOffset(broker.getBrokerAddr(), header, connection.operationTimeout().toMillis());
        } catch (MQBrokerException e) {
            if (e.getResponseCode() == ResponseCode.QUERY_NOT_FOUND) {
                return -1;
            }
            throw e;
        }
    }

    private long storedOffset(String partition, Position stored) {
        try {
            return Long.parseLong(stored.offset());
        } catch (NumberFormatException e) {
            throw new io.msgbridge.spi.PermanentException(where() + ": the stored position of " + partition + " is not a queue offset: "
                    + stored.offset(), e);
        }
    }

    private String where() {
        return pipeline + ": rocketmq source " + options.describe() + " on " + connection.describe();
    }

    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        DefaultLitePullConsumer c = consumer;
        if (c == null || closed) {
            return List.of();
        }
        if (pending.isEmpty()) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (pending.isEmpty() && !closed) {
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMs <= 0) {
                    break;
                }
                List<MessageExt> batch;
                try {
                    batch = c.poll(Math.min(leftMs, WAIT_SLICE_MS));
                } catch (RuntimeException e) {
                    if (closed) {
                        return List.of();
                    }
                    throw new RetriableException(where() + ": poll failed: " + e.getMessage(), e);
                }
                pending.addAll(batch);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
        List<SourceRecord> records = new ArrayList<>(Math.min(max, pending.size()));
        while (records.size() < max && !pending.isEmpty()) {
            records.add(record(pending.poll()));
        }
        return records;
    }

    private SourceRecord record(MessageExt m) {
        MessageQueue queue = new MessageQueue(m.getTopic(), m.getBrokerName(), m.getQueueId());
        String partition = QueuePartition.name(queue);
        long offset = m.getQueueOffset();
        next.put(partition, offset + 1);
        Position position = new Position(partition, Long.toString(offset), offset);
        return new SourceRecord(RocketMqMessages.toBridge(m), position, m.getReconsumeTimes() + 1, SourceRecord.Ack.NONE);
    }

    /** Writes each queue's watermark + 1 (the next offset to consume) as the consumer group's offset on the broker. */
    @Override
    public void committed(Map<String, Position> watermarks) {
        DefaultLitePullConsumer c = consumer;
        if (c == null || closed) {
            return;
        }
        Map<MessageQueue, Long> offsets = new HashMap<>();
        watermarks.forEach((partition, position) -> {
            MessageQueue queue = queues.get(partition);
            if (queue != null && position.hasSequence()) {
                offsets.put(queue, position.sequence() + 1);
            }
        });
        if (offsets.isEmpty()) {
            return;
        }
        try {
            c.commit(offsets, true);
        } catch (RuntimeException e) {
            LOG.debug("{}: group offsets not written to the broker ({}); the next commit writes them", pipeline, e.toString());
        }
    }

    private void refreshLag() {
        try {
            DefaultLitePullConsumer c = consumer;
            MQClientInstance instance = c == null ? null : MQClientManager.getInstance().getFactoryTable().get(c.buildMQClientId());
            if (instance == null || closed) {
                return;
            }
            long total = 0;
            boolean known = true;
            for (Map.Entry<String, MessageQueue> e : queues.entrySet()) {
                long max = instance.getMQAdminImpl().maxOffset(e.getValue());
                Long from = next.get(e.getKey());
                if (from == null) {
                    known = false;
                } else {
                    total += Math.max(0, max - from);
                }
            }
            lag = known ? total : -1;
            if (!reachable) {
                LOG.info("{}: the brokers answer again", where());
            }
            reachable = true;
        } catch (MQClientException | RuntimeException e) {
            if (reachable) {
                LOG.warn("{}: cannot reach the brokers: {}", where(), RocketMqFailures.scrub(String.valueOf(e.getMessage()), connection));
            }
            reachable = false;
        }
    }

    @Override
    public boolean connected() {
        return consumer != null && !closed && reachable;
    }

    @Override
    public long lag() {
        return consumer == null || closed ? -1 : lag;
    }

    /**
     * Shuts the consumer down. Records handed out but not committed are read again by the next start (from
     * the stored positions or the group's offsets).
     */
    @Override
    public void close() {
        closed = true;
        ScheduledExecutorService scheduler = refresher;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        DefaultLitePullConsumer c = consumer;
        if (c != null) {
            try {
                c.shutdown();
            } catch (RuntimeException e) {
                LOG.debug("{}: shutting the consumer down: {}", pipeline, e.toString());
            }
        }
    }
}
