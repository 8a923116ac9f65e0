package io.msgbridge.pulsar;

import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.ConsumerBuilder;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.MessageIdAdv;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.RegexSubscriptionMode;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.TopicMessageId;
import org.apache.pulsar.client.impl.ConsumerBase;
import org.apache.pulsar.client.impl.MultiTopicsConsumerImpl;
import org.apache.pulsar.common.naming.TopicName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Pulsar source: one consumer on a subscription over a list of topics or a topic pattern (which the
 * client re-evaluates, so topics created later are read too). Partitioned topics are read partition by
 * partition; each partition is a source partition.
 *
 * <p>Position: partition = the full partition name ({@code persistent://t/ns/orders-partition-0}, or the
 * topic for a non-partitioned one), offset = {@link MessageIds#token}, sequence = {@link MessageIds#sequence}.
 * Attempts = the broker's redelivery count + 1. Lag: the subscription's backlog, when the connection has an
 * {@code admin-url} ({@link PulsarBacklog}).
 *
 * <p>Acks: {@code exclusive} and {@code failover} subscriptions ack cumulatively in
 * {@link #committed}, so the broker's cursor follows the committed watermark; {@code shared} and
 * {@code key_shared} ack each record when it is done. Acks inside a batch count only once the whole batch
 * is acked, unless the broker has {@code acknowledgmentAtBatchIndexLevelEnabled=true} (the consumer asks
 * for batch-index acks); until then a restart redelivers the batch.
 *
 * <p>Backpressure: the receiver queue is the only read-ahead, bounded in messages (per partition, at
 * most {@code receiver-queue} and the pipeline's in-flight limit) and in bytes by
 * {@link SourceContext#readAhead()}: the source's client has that as its {@code memoryLimit}, and the
 * consumer scales its receiver queue ({@code autoScaledReceiverQueueSizeEnabled}): it starts at one
 * message and doubles while the queue runs empty and the client holds less than three quarters of the
 * limit, and halves when it holds more than 95%. So 4 MiB messages come one or two at a time, small
 * ones a full queue at a time. A message counts against the limit from its arrival until
 * {@link #poll} takes it.
 *
 * <p>Resume: with {@link SourceContext.Resume#STORE} the subscription's cursor on each partition with a
 * stored position is reset to it before the consumer subscribes, and records up to and including it are
 * skipped; partitions without one, and
 * {@link SourceContext.Resume#BROKER}, start at the subscription's cursor.
 */
final class PulsarSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(PulsarSource.class);
    private static final long WAIT_SLICE_MS = 100;

    private final PulsarConnectionOptions connection;
    private final PulsarSourceOptions options;
    private final ResumeFilter resume;
    private volatile PulsarClient client;
    private volatile Consumer<byte[]> consumer;
    private volatile PulsarBacklog backlog;
    private volatile boolean closed;
    private String pipeline = "?";

    PulsarSource(PulsarConnectionOptions connection, PulsarSourceOptions options) {
        this.connection = connection;
        this.options = options;
        this.resume = new ResumeFilter(options.kind().cumulativeAcks());
    }

    @Override
    public void start(SourceContext context) throws InterruptedException {
        pipeline = context.pipeline();
        Map<String, MessageIdAdv> seekTo = context.resume() == SourceContext.Resume.STORE ? storedIds(context.stored()) : Map.of();
        PulsarClient c = PulsarClients.create(connection, where(), context.readAhead());
        try {
            seek(c, seekTo);
            Consumer<byte[]> consumer = builder(c, context).subscribe();
            LOG.info("{}: subscribed as '{}' ({})", where(), options.subscriptionName(pipeline),
                    options.kind().name().toLowerCase(java.util.Locale.ROOT));
            this.consumer = consumer;
            this.client = c;
            connection.adminUrl().ifPresent(admin -> backlog = new PulsarBacklog(admin, connection, options.subscriptionName(pipeline), where()));
        } catch (PulsarClientException e) {
            PulsarClients.closeQuietly(c);
            throw PulsarFailures.onStart(where(), connection.auth(), PulsarClients.explain(connection, "cannot subscribe"), e);
        } catch (RuntimeException e) {
            PulsarClients.closeQuietly(c);
            throw e;
        }
        if (closed) {
            close();
        }
    }

    private ConsumerBuilder<byte[]> builder(PulsarClient c, SourceContext context) {
        int queue = Math.max(1, Math.min(options.receiverQueue(), context.maxInFlight()));
        ConsumerBuilder<byte[]> b = c.newConsumer(Schema.BYTES)
                .subscriptionName(options.subscriptionName(pipeline))
                .subscriptionType(options.kind().pulsar())
                .subscriptionInitialPosition(initialPosition())
                .receiverQueueSize(queue)
                .autoScaledReceiverQueueSizeEnabled(true)
                .enableBatchIndexAcknowledgment(true)
                .maxTotalReceiverQueueSizeAcrossPartitions(Math.max(queue, context.maxInFlight()))
                .consumerName("bridge-" + pipeline);
        if (options.topicsPattern().isPresent()) {
            b.topicsPattern(options.topicsPattern().get())
                    .subscriptionTopicsMode(RegexSubscriptionMode.PersistentOnly)
                    .patternAutoDiscoveryPeriod((int) options.patternDiscovery().toSeconds(), TimeUnit.SECONDS);
        } else {
            b.topics(options.topics());
        }
        return b;
    }

    /** The stored positions as message ids; a token that is not one fails the start permanently. */
    private Map<String, MessageIdAdv> storedIds(Map<String, Position> stored) {
        Map<String, MessageIdAdv> ids = new HashMap<>();
        stored.forEach((partition, position) -> {
            try {
                ids.put(partition, MessageIds.parse(position.offset(), partition));
            } catch (IllegalArgumentException e) {
                throw new PermanentException(where() + ": the stored position of " + partition + " is unusable: " + e.getMessage(), e);
            }
        });
        return ids;
    }

    /**
     * Resets the subscription's cursor on each stored partition that this source reads, through a
     * short-lived consumer on that partition alone, before the source's own consumer subscribes. Seeking
     * the multi-topics consumer instead races its prefetch: after a restart it could stop receiving
     * altogether (seen with a partitioned topic, issue 3; see apache/pulsar#22208 for the family of
     * bugs). A single-partition seek is a plain cursor reset on the broker, and the consumer that
     * subscribes afterwards starts from there.
     */
    private void seek(PulsarClient c, Map<String, MessageIdAdv> seekTo) throws PulsarClientException {
        for (Map.Entry<String, MessageIdAdv> e : seekTo.entrySet()) {
            String partition = e.getKey();
            if (!reads(partition)) {
                LOG.info("{}: stored position of {} ignored: this source no longer reads that topic", pipeline, partition);
                continue;
            }
            try (Consumer<byte[]> one = c.newConsumer(Schema.BYTES)
                    .topic(partition)
                    .subscriptionName(options.subscriptionName(pipeline))
                    .subscriptionType(options.kind().pulsar())
                    .subscriptionInitialPosition(initialPosition())
                    .receiverQueueSize(1)
                    .consumerName("bridge-" + pipeline + "-seek")
                    .subscribe()) {
                one.seek(e.getValue());
            }
            resume.skipUpTo(partition, e.getValue());
            LOG.info("{}: {} resumes after stored position {}", pipeline, partition, MessageIds.readable(e.getValue()));
        }
    }

    /** Whether {@code partition} (a full partition or topic name) belongs to the topics this source reads. */
    private boolean reads(String partition) {
        String topic = TopicName.get(partition).getPartitionedTopicName();
        if (options.topicsPattern().isPresent()) {
            return options.topicsPattern().get().matcher(topic).matches();
        }
        return options.topics().stream().anyMatch(t -> TopicName.get(t).getPartitionedTopicName().equals(topic));
    }

    private SubscriptionInitialPosition initialPosition() {
        return options.initialPosition() == StartPosition.EARLIEST ? SubscriptionInitialPosition.Earliest : SubscriptionInitialPosition.Latest;
    }

    private String where() {
        return pipeline + ": pulsar source " + options.describe() + " on " + connection.describe();
    }

    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        Consumer<byte[]> c = consumer;
        if (c == null || closed) {
            return List.of();
        }
        try {
            Message<byte[]> first = awaitFirst(c, timeout);
            List<SourceRecord> records = new ArrayList<>();
            Message<byte[]> next = first;
            while (next != null) {
                if (resume.skip(next)) {
                    acknowledgeSkipped(c, next);
                } else {
                    records.add(record(c, next));
                }
                next = records.size() < max ? c.receive(0, TimeUnit.MILLISECONDS) : null;
            }
            return records;
        } catch (PulsarClientException.AlreadyClosedException e) {
            return List.of();
        } catch (PulsarClientException e) {
            if (closed) {
                return List.of();
            }
            throw new RetriableException(where() + ": receive failed: " + e.getMessage(), e);
        }
    }

    private Message<byte[]> awaitFirst(Consumer<byte[]> c, Duration timeout) throws PulsarClientException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closed) {
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMs <= 0) {
                return null;
            }
            Message<byte[]> m = c.receive((int) Math.min(leftMs, WAIT_SLICE_MS), TimeUnit.MILLISECONDS);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    private SourceRecord record(Consumer<byte[]> c, Message<byte[]> m) {
        MessageId id = m.getMessageId();
        Position position = new Position(m.getTopicName(), MessageIds.token(id), MessageIds.sequence(id));
        SourceRecord.Ack ack = options.kind().cumulativeAcks() ? SourceRecord.Ack.NONE : () -> acknowledge(c, id);
        return new SourceRecord(PulsarMessageMapper.toBridge(m), position, m.getRedeliveryCount() + 1, ack);
    }

    private void acknowledgeSkipped(Consumer<byte[]> c, Message<byte[]> m) {
        if (!options.kind().cumulativeAcks()) {
            acknowledge(c, m.getMessageId());
        }
    }

    private void acknowledge(Consumer<byte[]> c, MessageId id) {
        c.acknowledgeAsync(id).exceptionally(e -> {
            LOG.debug("{}: ack of {} not sent ({}); the broker redelivers it", pipeline, MessageIds.readable(id), e.toString());
            return null;
        });
    }

    /** Acks each partition's watermark cumulatively, for {@code exclusive} and {@code failover} subscriptions. */
    @Override
    public void committed(Map<String, Position> watermarks) {
        Consumer<byte[]> c = consumer;
        if (c == null || closed || !options.kind().cumulativeAcks()) {
            return;
        }
        watermarks.forEach((partition, position) -> {
            try {
                TopicMessageId id = TopicMessageId.create(partition, MessageIds.parse(position.offset(), partition));
                c.acknowledgeCumulativeAsync(id).exceptionally(e -> {
                    LOG.debug("{}: cumulative ack of {} up to {} not sent ({})", pipeline, partition, position.offset(), e.toString());
                    return null;
                });
            } catch (IllegalArgumentException e) {
                LOG.warn("{}: cannot ack {} up to {}: {}", pipeline, partition, position.offset(), e.getMessage());
            }
        });
    }

    /** The bytes of messages in the consumer's receiver queue, received and not yet polled (for tests). */
    long readAheadBytes() {
        return consumer instanceof ConsumerBase<byte[]> c ? c.getIncomingMessageSize() : 0;
    }

    @Override
    public boolean connected() {
        Consumer<byte[]> c = consumer;
        return c != null && !closed && c.isConnected();
    }

    /**
     * The subscription's backlog over the partitions the consumer reads (records not yet acknowledged,
     * those in flight included), from the admin REST API at most every {@link PulsarBacklog#REFRESH};
     * -1 without {@code admin-url}.
     */
    @Override
    public long lag() {
        PulsarBacklog b = backlog;
        Consumer<byte[]> c = consumer;
        return b == null || c == null || closed ? -1 : b.value(() -> partitions(c));
    }

    private static List<String> partitions(Consumer<byte[]> c) {
        return c instanceof MultiTopicsConsumerImpl<byte[]> multi ? multi.getPartitions() : List.of(c.getTopic());
    }

    /**
     * Closes the consumer and the client. Records handed out and not acked are redelivered by the
     * broker to the subscription's next consumer.
     */
    @Override
    public void close() {
        closed = true;
        PulsarBacklog b = backlog;
        if (b != null) {
            b.close();
        }
        Consumer<byte[]> c = consumer;
        if (c != null) {
            try {
                c.closeAsync().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debug("{}: closing the consumer: {}", pipeline, e.toString());
            }
        }
        PulsarClients.closeQuietly(client);
    }
}
