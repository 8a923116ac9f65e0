package io.msgbridge.kafka;

import io.msgbridge.backend.OrderGate;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.SinkOrdering;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Kafka sink: one idempotent producer ({@code enable.idempotence=true}, {@code acks=all}) for every
 * destination topic. A publish completes when every in-sync replica has the record. Failures are
 * classified by {@link KafkaFailures}.
 *
 * <p>Order ({@link #ordering()}): records published one after another from one lane thread enter the
 * producer's per-partition queue in that order, and the idempotent producer keeps a partition's order
 * across its own retries with up to five requests in flight: the broker refuses a batch whose sequence
 * number does not follow the last one it stored, so a retried batch can never land after a later one.
 * Each request carries a whole batch per partition, and records wait in the queue in order beyond the
 * requests in flight, so a key may have many records unconfirmed at once ({@value #WINDOW}). After a
 * failure the {@link OrderGate} refuses the key's later records until the runtime publishes again from
 * the failed one; records of the key that were already in the producer's queue may still be stored after
 * the failed one (when it failed alone, or after a delivery timeout), and the runtime publishes them
 * again after it, so the last copies are in order.
 *
 * <p>Partitions: the producer's own (murmur2 of the key) for a record with a key; the hash of the record's
 * source partition for one without, so a source partition's keyless records stay in one Kafka partition,
 * in order; with {@code partition: source}, the partition the record had at its Kafka source.
 *
 * <p>Memory: the producer's {@code buffer.memory} is {@link SinkContext#writeBuffer()}, the most bytes the
 * pipeline has at this sink, so the producer's copies of its records are bounded by the memory budget
 * rather than by Kafka's default; at least {@code max-request-size}, as the producer refuses a record
 * larger than its buffer and that rule belongs to {@code max-request-size}. Batches take the buffer a
 * {@code batch-size} at a time, so with many partitions a small buffer fills with part-full batches: a
 * publish then waits until {@code linger} sends them and the broker confirms, never longer than
 * {@code max-block}.
 *
 * <p>Threads: a publish sends on the caller's (lane) thread, which may block up to {@code max-block} for
 * a topic's metadata or room in the producer's buffer; completions come on the producer's I/O thread.
 */
final class KafkaSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
    /** Records of one key unconfirmed at once: several full batches, far beyond five requests of one record. */
    static final int WINDOW = 1000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);

    private final KafkaConnectionOptions connection;
    private final KafkaSinkOptions options;
    private final AtomicLong unconfirmed = new AtomicLong();
    private volatile OrderGate gate = new OrderGate(false);
    private volatile Producer<byte[], byte[]> producer;
    private volatile boolean closed;
    private String where = "kafka sink";

    KafkaSink(KafkaConnectionOptions connection, KafkaSinkOptions options) {
        this.connection = connection;
        this.options = options;
    }

    @Override
    public void start(SinkContext context) throws InterruptedException {
        boolean deadLetter = context.role() == SinkContext.Role.DEAD_LETTER;
        where = context.pipeline() + ": kafka " + (deadLetter ? "dead-letter sink " : "sink ") + options.describe()
                + " on " + connection.describe();
        String clientId = "bridge-" + context.pipeline() + (deadLetter ? "-dead-letter" : "-sink");
        KafkaClients.check(connection, clientId, where);
        try {
            producer = new KafkaProducer<>(properties(clientId, context.writeBuffer()));
        } catch (RuntimeException e) {
            throw new PermanentException(where + ": cannot configure the Kafka producer: "
                    + KafkaFailures.scrub(e.getMessage(), connection), e);
        }
        gate = new OrderGate(false);
        LOG.info("{}: started", where);
        if (closed) {
            close();
        }
    }

    private Properties properties(String clientId, long writeBuffer) {
        Properties p = KafkaClients.common(connection, clientId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, options.compression().name().toLowerCase(Locale.ROOT));
        p.put(ProducerConfig.LINGER_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, options.linger().toMillis()));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, options.batchSize());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, options.maxRequestSize());
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(writeBuffer, options.maxRequestSize()));
        long delivery = Math.max(options.deliveryTimeout().toMillis(),
                options.linger().toMillis() + connection.requestTimeout().toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, delivery));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, options.maxBlock().toMillis());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    @Override
    public CompletableFuture<Void> publish(OutboundRecord record) {
        Producer<byte[], byte[]> p = producer;
        if (p == null || closed) {
            return CompletableFuture.failedFuture(new RetriableException(where + " is " + (closed ? "closed" : "not started")));
        }
        OrderGate g = gate;
        if (!g.admit(record)) {
            return CompletableFuture.failedFuture(new RetriableException(where + ": an earlier record of key "
                    + (record.key() == null ? "(partition " + record.source().partition() + ")" : record.key())
                    + " failed; this one waits until the pipeline publishes the key again from it"));
        }
        String topic = options.topic().render(record.message().topic());
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean sending = false;
        try {
            Integer partition = partition(p, topic, record);
            ProducerRecord<byte[], byte[]> out = KafkaMessageMapper.toKafka(record.message(), topic, partition, record.key());
            unconfirmed.incrementAndGet();
            sending = true;
            p.send(out, (metadata, error) -> {
                unconfirmed.decrementAndGet();
                if (error == null) {
                    done.complete(null);
                } else {
                    g.failed(record);
                    done.completeExceptionally(KafkaFailures.onPublish(where, connection, topic, error));
                }
            });
        } catch (RuntimeException e) {
            if (sending) {
                // send threw rather than calling back (closed, interrupted): the record never got in
                unconfirmed.decrementAndGet();
            }
            g.failed(record);
            done.completeExceptionally(KafkaFailures.onPublish(where, connection, topic, e));
        }
        return done;
    }

    /**
     * The partition to write to, or null for the producer's choice (by key). Looking up a topic's
     * partitions waits for its metadata (at most {@code max-block}); it is cached afterwards.
     */
    private Integer partition(Producer<byte[], byte[]> p, String topic, OutboundRecord record) {
        if (options.partitioning() == KafkaSinkOptions.Partitioning.SOURCE) {
            int source = KafkaMessageMapper.sourcePartition(record.message());
            if (source < 0) {
                throw new PermanentException(where + ": record " + record.source() + " has no Kafka source partition ("
                        + KafkaMessageMapper.PARTITION + " header); partition: source needs a Kafka source");
            }
            List<PartitionInfo> partitions = p.partitionsFor(topic);
            if (source >= partitions.size()) {
                throw RetriableException.unavailable(where + ": topic " + topic + " has " + partitions.size()
                        + " partitions; partition: source needs partition " + source + ". Add partitions to it "
                        + "(kafka-topics.sh --alter --partitions) or create it with as many as its source topic", null);
            }
            return source;
        }
        if (record.key() != null) {
            return null;
        }
        List<PartitionInfo> partitions = p.partitionsFor(topic);
        byte[] sourcePartition = record.source().partition().getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(sourcePartition)) % partitions.size();
    }

    @Override
    public SinkOrdering ordering() {
        return SinkOrdering.pipelined(WINDOW);
    }

    /**
     * Whether started, not closed, and not waiting for confirmations while the producer has no
     * connection to any broker (an idle producer closes its connections after
     * {@code connections.max.idle.ms}, which is no outage).
     */
    @Override
    public boolean connected() {
        Producer<byte[], byte[]> p = producer;
        if (p == null || closed) {
            return false;
        }
        return unconfirmed.get() == 0 || KafkaClients.connectionCount(p.metrics()) != 0;
    }

    /** Sends what the producer holds for at most a few seconds, then closes it. */
    @Override
    public void close() {
        closed = true;
        Producer<byte[], byte[]> p = producer;
        if (p != null) {
            try {
                p.close(CLOSE_TIMEOUT);
            } catch (RuntimeException e) {
                LOG.debug("{}: closing the producer: {}", where, e.toString());
            }
        }
    }
}
