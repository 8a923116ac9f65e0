package io.msgbridge.kafka;

import io.msgbridge.backend.DestinationTemplate;
import io.msgbridge.backend.SectionOptions;

import java.time.Duration;
import java.util.Objects;

/**
 * A checked {@code to:} (or {@code dead-letter:}) section of a Kafka connection.
 *
 * @param topic           the destination topic, fixed or per record
 * @param partitioning    how a record's partition is chosen
 * @param compression     the producer's {@code compression.type}
 * @param linger          {@code linger.ms}: how long the producer waits to fill a batch
 * @param batchSize       {@code batch.size}: the most bytes of one partition's batch
 * @param maxRequestSize  {@code max.request.size}: a record larger than this is refused (permanent)
 * @param deliveryTimeout {@code delivery.timeout.ms}: how long the producer retries one record before it fails it
 * @param maxBlock        {@code max.block.ms}: how long a publish may wait for the topic's metadata or for
 *                        room in the producer's buffer
 */
public record KafkaSinkOptions(DestinationTemplate topic, Partitioning partitioning, Compression compression, Duration linger,
                               int batchSize, int maxRequestSize, Duration deliveryTimeout, Duration maxBlock)
        implements SectionOptions {
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(5);
    public static final int DEFAULT_BATCH_SIZE = 64 * 1024;
    public static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(10);

    /** How the destination partition is chosen. */
    public enum Partitioning {
        /**
         * Kafka's: the hash of the key, so a key's records share a partition as Kafka consumers expect. A
         * record without a key goes by the hash of its source partition, so that keyless records keep the
         * order their source partition gave them.
         */
        DEFAULT,
        /** The record's partition number at its Kafka source: a Kafka → Kafka mirror keeps partition numbers. */
        SOURCE
    }

    /** The producer's compression codec. */
    public enum Compression { NONE, GZIP, SNAPPY, LZ4, ZSTD }

    public KafkaSinkOptions {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(partitioning, "partitioning");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(linger, "linger");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        Objects.requireNonNull(maxBlock, "maxBlock");
    }

    /** Defaults for everything but the topic; for tests and tools. */
    public static KafkaSinkOptions of(String topic) {
        return new KafkaSinkOptions(DestinationTemplate.of(topic, KafkaTopics.NAMES), Partitioning.DEFAULT, Compression.NONE, DEFAULT_LINGER,
                DEFAULT_BATCH_SIZE, DEFAULT_MAX_REQUEST_SIZE, DEFAULT_DELIVERY_TIMEOUT, DEFAULT_MAX_BLOCK);
    }

    public KafkaSinkOptions withPartitioning(Partitioning newPartitioning) {
        return new KafkaSinkOptions(topic, newPartitioning, compression, linger, batchSize, maxRequestSize, deliveryTimeout, maxBlock);
    }

    public KafkaSinkOptions withMaxBlock(Duration newMaxBlock) {
        return new KafkaSinkOptions(topic, partitioning, compression, linger, batchSize, maxRequestSize, deliveryTimeout, newMaxBlock);
    }

    public KafkaSinkOptions withMaxRequestSize(int size) {
        return new KafkaSinkOptions(topic, partitioning, compression, linger, batchSize, size, deliveryTimeout, maxBlock);
    }

    @Override
    public String describe() {
        return "kafka:" + topic + (partitioning == Partitioning.SOURCE ? " (partition: source)" : "");
    }
}
