package io.msgbridge.kafka;

import io.msgbridge.spi.Position;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Kafka source on the shared test broker: what a record carries, resuming, commits to the group, lag, patterns. */
@Tag("integration")
class KafkaSourceTest {
    private static final Duration DELIVERY = Duration.ofSeconds(20);
    private final List<Source> sources = new ArrayList<>();
    private final String pipeline = "source-test-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void closeSources() {
        sources.forEach(Source::close);
    }

    private Source started(KafkaSourceOptions options, SourceContext.Resume resume, Map<String, Position> stored) throws InterruptedException {
        Source source = new KafkaSource(SharedKafka.options(), options);
        sources.add(source);
        source.start(new SourceContext(pipeline, resume, stored, 100));
        return source;
    }

    private static void produce(String topic, int partition, int count) {
        for (int i = 0; i < count; i++) {
            SharedKafka.producer().send(new ProducerRecord<>(topic, partition, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    ("v" + i).getBytes(StandardCharsets.UTF_8)));
        }
        SharedKafka.producer().flush();
    }

    private static List<SourceRecord> poll(Source source, int count) throws InterruptedException {
        List<SourceRecord> received = new ArrayList<>();
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            received.addAll(source.poll(count - received.size(), Duration.ofMillis(200)));
        }
        assertThat(received).as("records within %s", DELIVERY).hasSize(count);
        return received;
    }

    @Test
    void aRecordCarriesTopicKeyEveryHeaderValueInOrderPartitionOffsetAndTimestamp() throws Exception {
        String topic = SharedKafka.newTopic("carry", 2);
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("h", "1".getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader("h", "2".getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader("empty", null));
        SharedKafka.producer().send(new ProducerRecord<>(topic, 1, 1_700_000_000_123L, "key".getBytes(StandardCharsets.UTF_8),
                "value".getBytes(StandardCharsets.UTF_8), headers));
        SharedKafka.producer().flush();
        Source source = started(KafkaSourceOptions.of(topic), SourceContext.Resume.BROKER, Map.of());

        SourceRecord record = poll(source, 1).get(0);

        assertThat(record.position()).isEqualTo(new Position(topic + "-1", "0", 0));
        assertThat(record.unreadable()).isNull();
        assertThat(record.message().topic()).isEqualTo(topic);
        assertThat(record.message().key()).isEqualTo("key");
        assertThat(record.message().eventTime().toEpochMilli()).isEqualTo(1_700_000_000_123L);
        assertThat(record.message().headers().entries()).extracting(h -> h.name() + "=" + h.value()).containsExactly(
                "h=1", "h=2", "empty=", "Bridge-Kafka-Partition=1", "Bridge-Kafka-Offset=0", "Bridge-Kafka-Timestamp-Type=CreateTime");
    }

    @Test
    void aKeyThatIsNotTextMakesTheRecordUnreadableWithTheKeyInBase64() throws Exception {
        String topic = SharedKafka.newTopic("binary", 1);
        SharedKafka.producer().send(new ProducerRecord<>(topic, 0, new byte[] {(byte) 0xff, 0}, new byte[] {1}));
        SharedKafka.producer().flush();
        Source source = started(KafkaSourceOptions.of(topic), SourceContext.Resume.BROKER, Map.of());

        SourceRecord record = poll(source, 1).get(0);

        assertThat(record.unreadable()).isNotNull().hasMessageContaining("(key)");
        assertThat(record.message().key()).isEqualTo("/wA=");
        assertThat(record.message().headers().first(KafkaMessageMapper.BASE64)).contains("(key)");
    }

    @Test
    void resumeStoreStartsAfterTheStoredPositionOfEachPartition() throws Exception {
        String topic = SharedKafka.newTopic("resume", 2);
        produce(topic, 0, 10);
        produce(topic, 1, 10);
        Source source = started(KafkaSourceOptions.of(topic), SourceContext.Resume.STORE,
                Map.of(topic + "-0", new Position(topic + "-0", "4", 4)));

        List<SourceRecord> records = poll(source, 15);

        assertThat(records).filteredOn(r -> r.position().partition().equals(topic + "-0"))
                .extracting(r -> r.position().sequence()).containsExactly(5L, 6L, 7L, 8L, 9L);
        assertThat(records).filteredOn(r -> r.position().partition().equals(topic + "-1")).hasSize(10);
    }

    @Test
    void theRuntimesCommitsReachTheConsumerGroupAndResumeBrokerStartsThere() throws Exception {
        String topic = SharedKafka.newTopic("commits", 1);
        produce(topic, 0, 10);
        Source first = started(KafkaSourceOptions.of(topic), SourceContext.Resume.BROKER, Map.of());
        poll(first, 10);

        first.committed(Map.of(topic + "-0", new Position(topic + "-0", "6", 6)));

        TopicPartition partition = new TopicPartition(topic, 0);
        await("the group's committed offset").atMost(DELIVERY).untilAsserted(() -> {
            Map<TopicPartition, OffsetAndMetadata> offsets = SharedKafka.broker().admin()
                    .listConsumerGroupOffsets("bridge-" + pipeline).partitionsToOffsetAndMetadata().get();
            assertThat(offsets.get(partition)).isNotNull().extracting(OffsetAndMetadata::offset).isEqualTo(7L);
        });
        first.close();
        Source second = started(KafkaSourceOptions.of(topic), SourceContext.Resume.BROKER, Map.of());
        assertThat(poll(second, 3)).extracting(r -> r.position().sequence()).containsExactly(7L, 8L, 9L);
    }

    @Test
    void lagIsTheEndOffsetMinusThePositionOfWhatWasHandedOut() throws Exception {
        String topic = SharedKafka.newTopic("lag", 1);
        produce(topic, 0, 30);
        Source source = started(KafkaSourceOptions.of(topic), SourceContext.Resume.BROKER, Map.of());
        await("lag known").atMost(DELIVERY).until(() -> source.lag() == 30);

        poll(source, 12);

        await("lag after 12 handed out").atMost(DELIVERY).until(() -> source.lag() == 18);
    }

    @Test
    void aTopicCreatedLaterThatMatchesThePatternIsRead() throws Exception {
        String prefix = "pattern" + UUID.randomUUID().toString().substring(0, 8);
        Source source = started(KafkaSourceOptions.of().withPattern(Pattern.compile(Pattern.quote(prefix) + "\\..*"), Duration.ofMillis(500)),
                SourceContext.Resume.BROKER, Map.of());
        assertThat(source.poll(10, Duration.ofMillis(300))).isEmpty();

        SharedKafka.broker().createTopic(prefix + ".late", 2);
        produce(prefix + ".late", 1, 3);

        assertThat(poll(source, 3)).extracting(r -> r.message().topic()).containsOnly(prefix + ".late");
    }
}
