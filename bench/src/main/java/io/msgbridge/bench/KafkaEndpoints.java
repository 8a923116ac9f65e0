package io.msgbridge.bench;

import io.msgbridge.kafka.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The Kafka side of the benchmark: a real Kafka KRaft broker ({@link KafkaTestBroker#shared()}, started
 * on first use on free ports and killed when the bench exits), the orchestrator's admin client and the
 * topic endpoints. Topics are {@code bench-<run>-src|snk} with {@value #PARTITIONS} partitions each,
 * created before a run (the broker creates none on first use) and deleted after it. Both variants use
 * the broker's plain listener; the baseline finds it in its source or sink spec ({@code kafka:HOST:PORT/TOPIC}).
 */
final class KafkaEndpoints implements AutoCloseable {
    /**
     * Partitions of every bench topic: several, as a topic carrying 1,000 keys has, so the sink's
     * producer (in both variants the client's own partitioner, by the hash of the key) fills a batch per
     * partition and a request carries several.
     */
    static final int PARTITIONS = 4;
    private static final int PUBLISH_WINDOW = 5000;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaTestBroker broker;
    private final Admin admin;

    KafkaEndpoints() {
        this.broker = KafkaTestBroker.shared();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        this.admin = Admin.create(p);
    }

    /** The YAML {@code connections:} entry the bridge variant uses. */
    String yamlConnection() {
        return "  kafka: { type: kafka, bootstrap-servers: [ \"" + broker.bootstrap() + "\" ] }\n";
    }

    /** A topic as the source, preloaded through a batching producer with {@code payloads}, each keyed as {@code keys} say. */
    SourceEndpoint source(String run, Keys keys, Payloads payloads) {
        String topic = topic(run, "src");
        PublishWindow window = PublishWindow.of(PUBLISH_WINDOW, payloads);
        return new SourceEndpoint() {
            private KafkaProducer<byte[], byte[]> producer;

            @Override
            public void create() throws Exception {
                createTopic(topic);
                producer = new KafkaProducer<>(preloadProperties());
            }

            @Override
            public boolean holdsRecords() {
                return true;
            }

            @Override
            public void publish(long sequence) throws InterruptedException {
                String key = keys.of(sequence);
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                        key == null ? null : key.getBytes(StandardCharsets.US_ASCII), payloads.stamped(sequence, keys));
                window.publish(() -> {
                    CompletableFuture<Void> stored = new CompletableFuture<>();
                    producer.send(record, (metadata, error) -> {
                        if (error == null) {
                            stored.complete(null);
                        } else {
                            stored.completeExceptionally(error);
                        }
                    });
                    return stored;
                });
            }

            @Override
            public void flush() throws InterruptedException {
                window.flush();
            }

            @Override
            public String yamlFrom() {
                return "{ connection: kafka, topic: \"" + topic + "\" }";
            }

            @Override
            public String baselineSpec() {
                return "kafka:" + broker.bootstrap() + "/" + topic;
            }

            @Override
            public void close() {
                if (producer != null) {
                    producer.close(Duration.ofSeconds(5));
                }
                deleteTopic(topic);
            }
        };
    }

    /**
     * A topic as the sink; the end consumer is a consumer of every partition from its start, without a
     * group, on a thread of its own, created before the variant starts.
     */
    SinkEndpoint sink(String run) {
        String topic = topic(run, "snk");
        return new SinkEndpoint() {
            private KafkaConsumer<byte[], byte[]> consumer;
            private Thread reader;
            private volatile boolean closing;

            @Override
            public void create(Receipts receipts) throws Exception {
                createTopic(topic);
                consumer = new KafkaConsumer<>(endConsumerProperties());
                List<TopicPartition> partitions = IntStream.range(0, PARTITIONS).mapToObj(i -> new TopicPartition(topic, i)).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                reader = Thread.ofPlatform().name("bench-kafka-end-consumer").start(() -> read(receipts));
            }

            private void read(Receipts receipts) {
                try {
                    while (!closing) {
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                            receipts.received(record.value(), record.key() == null ? null : new String(record.key(), StandardCharsets.US_ASCII));
                        }
                    }
                } catch (WakeupException e) {
                    // close() woke the consumer: the reader ends
                } catch (RuntimeException e) {
                    System.err.println("bench: the end consumer of " + topic + " failed: " + e);
                } finally {
                    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
                }
            }

            @Override
            public String yamlTo() {
                return "{ connection: kafka, topic: \"" + topic + "\" }";
            }

            @Override
            public String baselineSpec() {
                return "kafka:" + broker.bootstrap() + "/" + topic;
            }

            @Override
            public long stored() throws Exception {
                Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, PARTITIONS).mapToObj(i -> new TopicPartition(topic, i))
                        .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest()));
                return admin.listOffsets(latest).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values().stream()
                        .mapToLong(info -> info.offset()).sum();
            }

            @Override
            public void close() {
                closing = true;
                if (reader != null) {
                    if (reader.isAlive()) {
                        consumer.wakeup();
                    }
                    try {
                        reader.join(Duration.ofSeconds(10));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                deleteTopic(topic);
            }
        };
    }

    private static String topic(String run, String role) {
        return "bench-" + run + "-" + role;
    }

    private void createTopic(String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Deletes a topic. Never throws. */
    private void deleteTopic(String topic) {
        try {
            admin.deleteTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.err.println("bench: could not delete topic " + topic + ": " + e);
        }
    }

    /** The orchestrator's preloading producer: large batches, fast; it runs before a variant starts. */
    private Properties preloadProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    private Properties endConsumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
