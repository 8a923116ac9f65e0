package io.msgbridge.bench;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * The baseline's Kafka clients (kafka-clients, used directly), with the settings of the bridge's Kafka
 * backend and its defaults: request timeout 10 s (API calls 20 s). Source: a consumer assigned every
 * partition of the topic from the earliest record, at most min(1000, in-flight limit) records a poll,
 * fetches of at most {@value #FETCH_MAX_BYTES} bytes ({@value #PARTITION_FETCH_BYTES} a partition); it
 * commits to its group, before each poll, the offset after each partition's contiguous prefix of records
 * the sink confirmed. Sink: an idempotent producer ({@code acks=all}, at most 5 requests in flight a
 * connection) without compression, {@code linger.ms} 5, {@code batch.size} 64 KiB, {@code max.request.size}
 * 1 MiB, {@code delivery.timeout.ms} 2 min, {@code max.block.ms} 10 s; each record carries the record's
 * key, partitioned by the client's partitioner (the hash of the key).
 */
final class KafkaBaseline {
    private static final int MAX_POLL_RECORDS = 1000;
    /**
     * What the bridge's Kafka source gives its client with the daemon's defaults: half its read-ahead,
     * which is a quarter of the pipeline's 32 MiB in-flight bytes.
     */
    private static final int FETCH_MAX_BYTES = 4 * 1024 * 1024;
    private static final int PARTITION_FETCH_BYTES = 1024 * 1024;
    private static final int REQUEST_TIMEOUT_MS = 10_000;

    private KafkaBaseline() {
    }

    /** {@code spec}: {@code HOST:PORT/TOPIC}. */
    static BaselineMain.Source source(String spec, int maxInFlight) {
        String topic = topic(spec);
        Properties p = common(spec, "baseline-source");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "baseline");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, Math.min(MAX_POLL_RECORDS, maxInFlight)));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, FETCH_MAX_BYTES);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, PARTITION_FETCH_BYTES);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        DonePrefixes<TopicPartition> done = new DonePrefixes<>();
        return new BaselineMain.Source() {
            private Iterator<ConsumerRecord<byte[], byte[]>> polled = Collections.emptyIterator();

            @Override
            public BaselineMain.Received next(Duration timeout) {
                if (!polled.hasNext()) {
                    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    done.take().forEach((partition, next) -> offsets.put(partition, new OffsetAndMetadata(next)));
                    if (!offsets.isEmpty()) {
                        consumer.commitAsync(offsets, (committed, error) -> {
                            if (error != null) {
                                System.err.println("commit of " + committed + " failed: " + error);
                            }
                        });
                    }
                    polled = consumer.poll(timeout).iterator();
                    if (!polled.hasNext()) {
                        return null;
                    }
                }
                ConsumerRecord<byte[], byte[]> r = polled.next();
                TopicPartition partition = new TopicPartition(r.topic(), r.partition());
                return new BaselineMain.Received(r.topic(), r.value(), r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                        r.topic() + "-" + r.partition() + "/" + r.offset(), done.read(partition, r.offset()));
            }

            @Override
            public void close() {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            }
        };
    }

    /**
     * {@code spec}: {@code HOST:PORT/TOPIC}. With {@code keyHeader} each record also carries its key in
     * {@link Payloads#KEY_HEADER}: the bridge copies a NATS source's headers, that one among them.
     */
    static BaselineMain.Sink sink(String spec, boolean keyHeader) {
        String topic = topic(spec);
        Properties p = common(spec, "baseline-sink");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(2).toMillis());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Duration.ofSeconds(10).toMillis());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        return new BaselineMain.Sink() {
            @Override
            public CompletableFuture<?> publish(BaselineMain.Received record) {
                RecordHeaders headers = new RecordHeaders();
                byte[] key = null;
                if (record.key() != null) {
                    key = record.key().getBytes(StandardCharsets.UTF_8);
                    if (keyHeader) {
                        headers.add(Payloads.KEY_HEADER, key);
                    }
                }
                CompletableFuture<Void> stored = new CompletableFuture<>();
                try {
                    producer.send(new ProducerRecord<>(topic, null, null, key, record.payload(), headers), (metadata, error) -> {
                        if (error == null) {
                            stored.complete(null);
                        } else {
                            stored.completeExceptionally(error);
                        }
                    });
                } catch (RuntimeException e) {
                    stored.completeExceptionally(e);
                }
                return stored;
            }

            @Override
            public void close() {
                producer.close(Duration.ofSeconds(3));
            }
        };
    }

    private static String topic(String spec) {
        int slash = spec.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected kafka:HOST:PORT/TOPIC, got kafka:" + spec);
        }
        return spec.substring(slash + 1);
    }

    private static Properties common(String spec, String clientId) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, spec.substring(0, spec.indexOf('/')));
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 2 * REQUEST_TIMEOUT_MS);
        return p;
    }
}
