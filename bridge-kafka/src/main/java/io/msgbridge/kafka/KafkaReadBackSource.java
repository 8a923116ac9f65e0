package io.msgbridge.kafka;

import io.msgbridge.spi.Connector;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The read-back of a Kafka sink with a fixed topic ({@link io.msgbridge.spi.Connector.SinkSpec#reader()},
 * for {@code bridge dlq list|replay}), or the reading of a source's topics without consuming them
 * ({@link io.msgbridge.spi.Connector.SourceSpec#reader()}, for {@code bridge verify}): every partition of
 * the topics from its start (or after the stored position) up to the end offsets it had when
 * {@link #start} ran. As a tap ({@link io.msgbridge.spi.Connector.SinkSpec#tap}) it starts at every
 * partition's beginning or end and has no end. No consumer group: nothing is committed,
 * no other consumer is disturbed. The client is used by the caller's thread; {@link #close} stops a poll
 * with {@code wakeup} and closes the client under the same lock.
 */
final class KafkaReadBackSource implements Source {
    private final KafkaConnectionOptions connection;
    private final List<String> topics;
    /** Empty for a read-back; where a tap starts. */
    private final Optional<Connector.TapFrom> tap;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<TopicPartition, Long> ends = new HashMap<>();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean closed;
    private volatile long lag = -1;
    private String where = "kafka read-back";

    KafkaReadBackSource(KafkaConnectionOptions connection, List<String> topics, Optional<Connector.TapFrom> tap) {
        this.connection = connection;
        this.topics = List.copyOf(topics);
        this.tap = tap;
    }

    @Override
    public void start(SourceContext context) throws InterruptedException {
        where = context.pipeline() + ": kafka " + (tap.isPresent() ? "tap" : "read-back") + " of "
                + (topics.size() == 1 ? "topic " : "topics ") + String.join(", ", topics) + " on " + connection.describe();
        String clientId = "bridge-" + context.pipeline() + "-read-back";
        KafkaClients.check(connection, clientId, where);
        Map<TopicPartition, Long> stored = Partitions.stored(context.stored(), where);
        Properties p = KafkaClients.common(connection, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, Math.min(1000, context.maxInFlight())));
        lock.lock();
        try {
            KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p);
            try {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : topics) {
                    List<PartitionInfo> infos = c.partitionsFor(topic);
                    if (infos == null || infos.isEmpty()) {
                        throw new PermanentException(where + ": the topic " + topic + " does not exist");
                    }
                    infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
                }
                c.assign(partitions);
                if (tap.isPresent()) {
                    if (tap.get() == Connector.TapFrom.START) {
                        c.seekToBeginning(partitions);
                    } else {
                        c.seekToEnd(partitions);
                    }
                    partitions.forEach(c::position);
                    consumer = c;
                    return;
                }
                ends.putAll(c.endOffsets(partitions));
                for (TopicPartition partition : partitions) {
                    Long after = stored.get(partition);
                    if (after == null) {
                        c.seekToBeginning(List.of(partition));
                    } else {
                        c.seek(partition, after + 1);
                    }
                }
                consumer = c;
                updateLag(c);
            } catch (KafkaException e) {
                c.close(CloseOptions.timeout(Duration.ZERO));
                throw KafkaFailures.onStart(where, connection, e);
            } catch (RuntimeException e) {
                c.close(CloseOptions.timeout(Duration.ZERO));
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            KafkaConsumer<byte[], byte[]> c = consumer;
            if (c == null || closed) {
                return List.of();
            }
            if (tap.isPresent()) {
                List<SourceRecord> records = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> r : c.poll(timeout)) {
                    records.add(record(new TopicPartition(r.topic(), r.partition()), r));
                }
                return records;
            }
            List<TopicPartition> reading = new ArrayList<>();
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                if (c.position(end.getKey()) < end.getValue()) {
                    reading.add(end.getKey());
                }
            }
            c.pause(c.assignment());
            c.resume(reading);
            if (reading.isEmpty()) {
                lag = 0;
                Thread.sleep(Math.min(timeout.toMillis(), 100));
                return List.of();
            }
            List<SourceRecord> records = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : c.poll(timeout)) {
                TopicPartition partition = new TopicPartition(r.topic(), r.partition());
                if (r.offset() < ends.get(partition)) {
                    records.add(record(partition, r));
                }
            }
            for (SourceRecord r : records.subList(Math.min(max, records.size()), records.size())) {
                TopicPartition partition = Partitions.parse(r.position().partition());
                long first = r.position().sequence();
                if (partition != null && c.position(partition) > first) {
                    c.seek(partition, first);
                }
            }
            List<SourceRecord> handed = records.size() > max ? List.copyOf(records.subList(0, max)) : records;
            updateLag(c);
            return handed;
        } catch (WakeupException e) {
            return List.of();
        } catch (KafkaException e) {
            throw new RetriableException(where + ": reading failed: " + KafkaFailures.scrub(e.getMessage(), connection), e);
        } finally {
            lock.unlock();
        }
    }

    private SourceRecord record(TopicPartition partition, ConsumerRecord<byte[], byte[]> r) {
        KafkaMessageMapper.Mapped mapped = KafkaMessageMapper.toBridge(r);
        Position position = new Position(Partitions.name(partition), Long.toString(r.offset()), r.offset());
        if (mapped.readable()) {
            return new SourceRecord(mapped.message(), position);
        }
        return SourceRecord.unreadable(mapped.message(), position, 1, SourceRecord.Ack.NONE,
                new PermanentException(where + ": record " + position + " cannot be read as text: " + mapped.unreadable()));
    }

    private void updateLag(KafkaConsumer<byte[], byte[]> c) {
        long total = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            total += Math.max(0, end.getValue() - c.position(end.getKey()));
        }
        lag = total;
    }

    @Override
    public boolean connected() {
        return consumer != null && !closed;
    }

    /** Records up to the end offsets seen at start not yet handed out: 0 once all were. */
    @Override
    public long lag() {
        return lag;
    }

    @Override
    public void close() {
        closed = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        lock.lock();
        try {
            c = consumer;
            consumer = null;
            if (c != null) {
                c.close(CloseOptions.timeout(Duration.ofSeconds(2)));
            }
        } catch (RuntimeException e) {
            // closing a read-only client: nothing is lost
        } finally {
            lock.unlock();
        }
    }
}
