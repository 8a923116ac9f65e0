package io.msgbridge.rocketmq;

import io.msgbridge.backend.PartitionDrain;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.common.message.MessageQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A RocketMQ source: a {@link DefaultLitePullConsumer} assigned message queues of the topic, filtered by the
 * tag expression. {@code mode: assign}: every queue (no rebalancing: the bridge's offset store and lease
 * decide who reads). {@code mode: group}: the share of this member of the consumer group, each queue
 * under a broker lock and handed over with drain and commit ({@link QueueGroup}).
 *
 * <p>Position: partition = {@code TOPIC/BROKER/QUEUE_ID} ({@link QueuePartition}), offset and sequence =
 * the queue offset. Attempts = the message's reconsume times + 1.
 *
 * <p>Resume: with {@link SourceContext.Resume#STORE} each queue with a stored position is sought to the
 * offset after it (in {@code mode: group}, or to the group's offset when that is further: another member
 * may have moved the queue on); queues without one, and {@link SourceContext.Resume#BROKER}, start at the
 * consumer group's offset on the broker, or, where the group has none, at the queue's first or last message
 * ({@code initial-position}). Commits: {@link #committed} writes each owned queue's watermark + 1 as the
 * group's offset on the broker, so RocketMQ's own tools show the group's progress and lag. A source made
 * with {@code commits} false (a tap) writes no offset of its group at all: its client keeps its offsets in
 * memory ({@link MemoryOffsetStore}).
 *
 * <p>Read-ahead: the client pulls in the background and holds at most about
 * {@link SourceContext#readAhead()} bytes (spread over the queues, in whole MiB per queue, at least one)
 * and {@link SourceContext#maxInFlight()} messages that the pipeline has not taken yet.
 *
 * <p>Lag: per owned queue, the broker's max offset minus the next offset to hand out, summed, refreshed
 * every {@value #REFRESH_SECONDS} s on a thread of the source's own, which also runs the group's rounds;
 * that request is also the health check behind {@link #connected()}.
 */
final class RocketMqSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(RocketMqSource.class);
    private static final long REFRESH_SECONDS = 2;
    private static final long MIB = 1 << 20;

    private final RocketMqConnectionOptions connection;
    private final RocketMqSourceOptions options;
    private final boolean commits;
    /** Per queue, the last offset known done: the stored positions, then what was committed. For where a queue starts. */
    private final Map<MessageQueue, Long> lastDone = new ConcurrentHashMap<>();
    private volatile DefaultLitePullConsumer consumer;
    private volatile QueueReader reader;
    private volatile QueueRequests requests;
    private volatile QueueGroup group;
    private volatile ScheduledExecutorService refresher;
    private volatile long lag = -1;
    private volatile boolean reachable;
    private volatile boolean groupFailing;
    private volatile boolean closed;
    private String pipeline = "?";

    RocketMqSource(RocketMqConnectionOptions connection, RocketMqSourceOptions options) {
        this(connection, options, true);
    }

    /** {@code commits} false: the group's offsets on the broker are read but never written ({@code mode: assign} only). */
    RocketMqSource(RocketMqConnectionOptions connection, RocketMqSourceOptions options, boolean commits) {
        this.connection = connection;
        this.options = options;
        this.commits = commits;
    }

    @Override
    public void start(SourceContext context) throws InterruptedException {
        pipeline = context.pipeline();
        boolean grouped = options.mode() == RocketMqSourceOptions.Mode.GROUP;
        DefaultLitePullConsumer c = new DefaultLitePullConsumer(options.group(pipeline), RocketMqClients.rpcHook(connection));
        RocketMqClients.configure(c, connection, pipeline, "source", where());
        c.setAutoCommit(false);
        if (!commits) {
            c.setOffsetStore(new MemoryOffsetStore());
        }
        int batch = Math.max(1, Math.min(options.pullBatch(), context.maxInFlight()));
        c.setPullBatchSize(batch);
        c.setPullThresholdForAll(Math.max(batch, context.maxInFlight()));
        c.setSubExpressionForAssign(options.topic(), options.tag());
        lastDone.clear();
        if (context.resume() == SourceContext.Resume.STORE) {
            context.stored().forEach((partition, position) -> {
                MessageQueue queue = QueuePartition.parse(partition);
                if (queue != null && queue.getTopic().equals(options.topic())) {
                    lastDone.put(queue, storedOffset(partition, position));
                }
            });
        }
        PartitionDrain<MessageQueue> drain = grouped ? new PartitionDrain<>() : null;
        try {
            c.start();
            Collection<MessageQueue> all = c.fetchMessageQueues(options.topic());
            if (all.isEmpty()) {
                throw RetriableException.unavailable(where() + ": topic " + options.topic() + " has no message queues yet", null);
            }
            c.setPullThresholdForQueue(Math.max(batch, context.maxInFlight() / all.size()));
            c.setPullThresholdSizeForQueue((int) Math.max(1, context.readAhead() / all.size() / MIB));
            requests = new QueueRequests(c, options.topic(), options.group(pipeline), connection.operationTimeout());
            reader = new QueueReader(c, requests, options.topic(), where(), drain, commits);
            if (grouped) {
                requests.heartbeat();
                group = new QueueGroup(where(), options.group(pipeline), requests, reader, drain, options.drainTimeout(),
                        this::startOffset, lastDone::put);
                LOG.info("{}: joining consumer group '{}' as {}", where(), options.group(pipeline), requests.clientId());
                group.rebalance(all);
            } else {
                Map<MessageQueue, Long> starts = new HashMap<>();
                for (MessageQueue queue : all) {
                    starts.put(queue, startOffset(queue));
                }
                reader.take(starts);
                LOG.info("{}: reading {} queues as group '{}'", where(), all.size(), options.group(pipeline));
            }
        } catch (InterruptedException e) {
            c.shutdown();
            throw e;
        } catch (Exception e) {
            c.shutdown();
            reader = null;
            group = null;
            throw RocketMqFailures.onStart(where(), connection, "cannot read topic " + options.topic(), e);
        }
        consumer = c;
        reachable = true;
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rocketmq-source-" + pipeline);
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::refresh, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
        refresher = scheduler;
        if (closed) {
            close();
        }
    }

    /**
     * Where {@code queue} starts: after its last offset known done when there is one (in {@code mode: group},
     * or at the group's offset when that is further), else at the group's offset, else at the queue's first
     * or last message. The group's offset is asked for in any case: it is the request that proves the
     * credentials at start.
     */
    private long startOffset(MessageQueue queue) throws Exception {
        String partition = QueuePartition.name(queue);
        long groupOffset = requests.groupOffset(queue);
        long first = requests.minOffset(queue);
        long end = requests.maxOffset(queue);
        Long done = lastDone.get(queue);
        long offset;
        if (done != null) {
            offset = done + 1;
            if (options.mode() == RocketMqSourceOptions.Mode.GROUP && groupOffset > offset) {
                offset = groupOffset;
            }
            if (offset < first || offset > end) {
                long moved = offset < first ? first : end;
                LOG.warn("{}: {} cannot resume at offset {}: the queue holds offsets {} to {}; reading from {}{}",
                        pipeline, partition, offset, first, end, moved, offset < first
                                ? " (the messages in between were removed by the broker's retention)" : " (the queue is behind the store)");
                offset = moved;
            } else {
                LOG.info("{}: {} resumes at offset {}", pipeline, partition, offset);
            }
        } else if (groupOffset >= 0) {
            offset = Math.max(first, Math.min(end, groupOffset));
        } else {
            offset = options.initialPosition() == RocketMqSourceOptions.InitialPosition.LATEST ? end : first;
        }
        return offset;
    }

    private long storedOffset(String partition, Position stored) {
        try {
            return Long.parseLong(stored.offset());
        } catch (NumberFormatException e) {
            throw new PermanentException(where() + ": the stored position of " + partition + " is not a queue offset: "
                    + stored.offset(), e);
        }
    }

    private String where() {
        return pipeline + ": rocketmq source " + options.describe() + " on " + connection.describe();
    }

    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        QueueReader r = reader;
        if (consumer == null || r == null || closed) {
            return List.of();
        }
        return r.poll(max, timeout, () -> closed);
    }

    /** Writes each owned queue's watermark + 1 (the next offset to consume) as the consumer group's offset on the broker. */
    @Override
    public void committed(Map<String, Position> watermarks) {
        DefaultLitePullConsumer c = consumer;
        QueueReader r = reader;
        if (c == null || r == null || closed || !commits) {
            return;
        }
        watermarks.forEach((partition, position) -> {
            MessageQueue queue = QueuePartition.parse(partition);
            if (queue != null && position.hasSequence()) {
                lastDone.merge(queue, position.sequence(), Math::max);
            }
        });
        Map<MessageQueue, Long> offsets = r.committable(watermarks);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            c.commit(offsets, true);
        } catch (RuntimeException e) {
            LOG.debug("{}: group offsets not written to the broker ({}); the next commit writes them", pipeline, e.toString());
        }
    }

    private void refresh() {
        refreshLag();
        QueueGroup g = group;
        DefaultLitePullConsumer c = consumer;
        if (g == null || c == null || closed) {
            return;
        }
        try {
            Collection<MessageQueue> all = c.fetchMessageQueues(options.topic());
            if (all.isEmpty()) {
                throw new IllegalStateException("topic " + options.topic() + " has no message queues");
            }
            g.rebalance(all);
            if (groupFailing) {
                LOG.info("{}: sharing the queues with the group again", where());
            }
            groupFailing = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!groupFailing && !closed) {
                LOG.warn("{}: cannot share the queues with consumer group '{}' now: {}; trying again every {} s", where(),
                        options.group(pipeline), RocketMqFailures.scrub(String.valueOf(e.getMessage()), connection), REFRESH_SECONDS);
            }
            groupFailing = true;
        }
    }

    private void refreshLag() {
        try {
            QueueReader r = reader;
            if (r == null || closed) {
                return;
            }
            long total = 0;
            boolean known = true;
            for (MessageQueue queue : r.owned()) {
                long max = requests.maxOffset(queue);
                Long from = r.next(queue);
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
        } catch (Exception e) {
            if (reachable) {
                LOG.warn("{}: cannot reach the brokers: {}", where(), RocketMqFailures.scrub(String.valueOf(e.getMessage()), connection));
            }
            reachable = false;
        }
    }

    /** The queues this source reads now. */
    java.util.Set<MessageQueue> owned() {
        QueueReader r = reader;
        return r == null ? java.util.Set.of() : r.owned();
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
     * Shuts the consumer down. In {@code mode: group} the queues are given up first: the offsets after the
     * records done are written as the group's and the locks released, so the other members take the queues
     * at once. Records handed out but not committed are read again by the next reader of their queue.
     */
    @Override
    public void close() {
        closed = true;
        ScheduledExecutorService scheduler = refresher;
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        QueueGroup g = group;
        if (g != null && consumer != null) {
            g.releaseAll();
        }
        DefaultLitePullConsumer c = consumer;
        if (c != null) {
            try {
                RocketMqLogAppender.shutdownQuietly(c::shutdown);
            } catch (RuntimeException e) {
                LOG.debug("{}: shutting the consumer down: {}", pipeline, e.toString());
            }
        }
    }
}
