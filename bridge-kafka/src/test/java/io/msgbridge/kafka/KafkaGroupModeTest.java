package io.msgbridge.kafka;

import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code mode: group}: two sources of one pipeline share a topic's partitions, and a partition given up
 * is drained (its records handed out are done) and committed before its new owner starts on it.
 */
@Tag("integration")
class KafkaGroupModeTest {
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private final List<Source> sources = new ArrayList<>();
    private final String pipeline = "group-test-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void closeSources() {
        sources.forEach(Source::close);
    }

    private Source newSource(String topic) {
        Source source = new KafkaSource(SharedKafka.options(), KafkaSourceOptions.of(topic).withMode(KafkaSourceOptions.Mode.GROUP));
        sources.add(source);
        return source;
    }

    private SourceContext context() {
        return new SourceContext(pipeline, SourceContext.Resume.BROKER, Map.of(), 1000);
    }

    private static void produce(String topic, int partitions, int perPartition, int from) {
        for (int p = 0; p < partitions; p++) {
            for (int i = from; i < from + perPartition; i++) {
                SharedKafka.producer().send(new ProducerRecord<>(topic, p, null, ("p" + p + "-" + i).getBytes(StandardCharsets.UTF_8)));
            }
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
    void aPartitionGivenUpIsDrainedAndCommittedSoItsNewOwnerReadsNothingTwice() throws Exception {
        String topic = SharedKafka.newTopic("group", 2);
        produce(topic, 2, 10, 0);
        Source first = newSource(topic);
        first.start(context());
        List<SourceRecord> handedOut = poll(first, 20);

        Source second = newSource(topic);
        second.start(context());
        CompletableFuture<List<SourceRecord>> secondReads = CompletableFuture.supplyAsync(() -> {
            try {
                return second.poll(100, Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        });
        assertThat(secondReads.get(10, TimeUnit.SECONDS)).as("the new member reads nothing while the records in flight are not done")
                .isEmpty();

        handedOut.forEach(r -> r.ack().done());
        produce(topic, 2, 5, 10);

        List<SourceRecord> afterFirst = new ArrayList<>();
        List<SourceRecord> afterSecond = new ArrayList<>();
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (afterFirst.size() + afterSecond.size() < 10 && System.nanoTime() < deadline) {
            afterFirst.addAll(first.poll(10, Duration.ofMillis(100)));
            afterSecond.addAll(second.poll(10, Duration.ofMillis(100)));
        }
        assertThat(afterSecond).as("the partition the second member took over").isNotEmpty();
        assertThat(afterFirst).as("the partition the first member kept").isNotEmpty();
        assertThat(afterFirst.size() + afterSecond.size()).isEqualTo(10);
        assertThat(afterSecond).extracting(r -> r.position().sequence()).containsExactly(10L, 11L, 12L, 13L, 14L);
        Set<String> firstPartitions = afterFirst.stream().map(r -> r.position().partition()).collect(Collectors.toSet());
        Set<String> secondPartitions = afterSecond.stream().map(r -> r.position().partition()).collect(Collectors.toSet());
        assertThat(firstPartitions).doesNotContainAnyElementsOf(secondPartitions);
    }

    @Test
    void whenOneMemberLeavesTheOtherTakesItsPartitionsFromWhereItCommitted() throws Exception {
        String topic = SharedKafka.newTopic("leave", 4);
        Source first = newSource(topic);
        first.start(context());
        Source second = newSource(topic);
        second.start(context());
        await("both members have partitions").atMost(DELIVERY).untilAsserted(() -> {
            ConsumerGroupDescription group = SharedKafka.broker().admin().describeConsumerGroups(List.of("bridge-" + pipeline))
                    .all().get().get("bridge-" + pipeline);
            assertThat(group.members()).hasSize(2).allSatisfy(m -> assertThat(m.assignment().topicPartitions()).isNotEmpty());
        });
        produce(topic, 4, 5, 0);
        List<SourceRecord> atFirst = new ArrayList<>();
        List<SourceRecord> atSecond = new ArrayList<>();
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (atFirst.size() + atSecond.size() < 20 && System.nanoTime() < deadline) {
            atFirst.addAll(first.poll(20, Duration.ofMillis(100)));
            atSecond.addAll(second.poll(20, Duration.ofMillis(100)));
        }
        assertThat(atFirst).as("both members read partitions").isNotEmpty();
        assertThat(atSecond).as("both members read partitions").isNotEmpty();
        atSecond.forEach(r -> r.ack().done());

        second.close();
        produce(topic, 4, 5, 5);

        List<SourceRecord> after = poll(first, 20);
        assertThat(after).extracting(r -> r.position().sequence()).allMatch(offset -> offset >= 5);
    }
}
