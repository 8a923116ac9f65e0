package io.msgbridge.pulsar;

import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Source behaviour beyond the contract: resuming from a stored position (also inside a batch), and acks.
 * The ack tests produce without batching: an ack inside a batch takes effect when the whole batch is
 * acked, unless the broker has {@code acknowledgmentAtBatchIndexLevelEnabled=true}.
 */
@Tag("integration")
class PulsarSourceTest {
    private static void produce(String topic, int count, boolean batching) throws Exception {
        try (Producer<byte[]> producer = SharedPulsar.client().newProducer(Schema.BYTES).topic(topic).enableBatching(batching).create()) {
            for (int i = 0; i < count; i++) {
                producer.newMessage().key("k").value(("m" + i).getBytes(StandardCharsets.UTF_8)).sendAsync();
            }
            producer.flush();
        }
    }

    /** A new partitioned topic of {@code partitions} partitions in public/default; its full name. */
    private static String partitionedTopic(String prefix, int partitions) {
        String name = SharedPulsar.uniqueTopic(prefix).substring("persistent://public/default/".length());
        PulsarTestBroker.shared().createPartitionedTopic(name, partitions);
        return "persistent://public/default/" + name;
    }

    /** Sends {@code count} records one by one, without batching, over {@code keys} keys. */
    private static void produceKeyed(String topic, int count, int keys) throws Exception {
        try (Producer<byte[]> producer = SharedPulsar.client().newProducer(Schema.BYTES).topic(topic).enableBatching(false).create()) {
            for (int i = 0; i < count; i++) {
                producer.newMessage().key("k" + i % keys).value(("m" + i).getBytes(StandardCharsets.UTF_8)).send();
            }
        }
    }

    private static List<SourceRecord> poll(PulsarSource source, int count) throws InterruptedException {
        List<SourceRecord> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (out.size() < count && System.nanoTime() < deadline) {
            out.addAll(source.poll(count - out.size(), Duration.ofMillis(200)));
        }
        return out;
    }

    private static String payload(SourceRecord r) {
        return new String(r.message().payload(), StandardCharsets.UTF_8);
    }

    @Test
    void resumeStoreDeliversFromTheRecordAfterTheStoredPositionEvenInsideABatch() throws Exception {
        String topic = SharedPulsar.uniqueTopic("resume");
        produce(topic, 10, true);
        PulsarSource first = new PulsarSource(SharedPulsar.options(), PulsarSourceOptions.of(topic));
        first.start(new SourceContext("resume", SourceContext.Resume.BROKER, Map.of(), 100));
        List<SourceRecord> all = poll(first, 10);
        first.close();
        assertThat(all).hasSize(10);
        Position stored = all.get(3).position();

        PulsarSource second = new PulsarSource(SharedPulsar.options(), PulsarSourceOptions.of(topic));
        second.start(new SourceContext("resume", SourceContext.Resume.STORE, Map.of(stored.partition(), stored), 100));
        try {
            List<SourceRecord> rest = poll(second, 6);
            assertThat(rest).extracting(PulsarSourceTest::payload).containsExactly("m4", "m5", "m6", "m7", "m8", "m9");
            assertThat(second.poll(10, Duration.ofMillis(500))).isEmpty();
        } finally {
            second.close();
        }
    }

    @Test
    void resumeStoreOnAPartitionedTopicDeliversFromAfterEachPartitionsStoredPositionAndIgnoresTopicsNoLongerRead() throws Exception {
        String topic = partitionedTopic("resume-partitioned", 2);
        produceKeyed(topic, 40, 8);
        PulsarSource first = new PulsarSource(SharedPulsar.options(), PulsarSourceOptions.of(topic));
        first.start(new SourceContext("resume-partitioned", SourceContext.Resume.BROKER, Map.of(), 100));
        Map<String, List<SourceRecord>> byPartition = new TreeMap<>();
        poll(first, 40).forEach(r -> byPartition.computeIfAbsent(r.position().partition(), p -> new ArrayList<>()).add(r));
        first.close();
        assertThat(byPartition).hasSize(2);
        Map<String, Position> stored = new HashMap<>();
        List<String> expected = new ArrayList<>();
        byPartition.forEach((partition, records) -> {
            stored.put(partition, records.get(2).position());
            records.subList(3, records.size()).forEach(r -> expected.add(payload(r)));
        });
        Position elsewhere = new Position(SharedPulsar.uniqueTopic("not-read") + "-partition-0", "1:0", 1);
        stored.put(elsewhere.partition(), elsewhere);

        PulsarSource second = new PulsarSource(SharedPulsar.options(), PulsarSourceOptions.of(topic));
        second.start(new SourceContext("resume-partitioned", SourceContext.Resume.STORE, stored, 100));
        try {
            List<SourceRecord> rest = poll(second, expected.size());
            assertThat(rest).extracting(PulsarSourceTest::payload).containsExactlyInAnyOrderElementsOf(expected);
            for (String partition : byPartition.keySet()) {
                assertThat(rest).filteredOn(r -> r.position().partition().equals(partition)).extracting(PulsarSourceTest::payload)
                        .containsExactlyElementsOf(byPartition.get(partition).subList(3, byPartition.get(partition).size())
                                .stream().map(PulsarSourceTest::payload).toList());
            }
            assertThat(second.poll(10, Duration.ofMillis(500))).isEmpty();
        } finally {
            second.close();
        }
    }

    @Test
    void aCommittedWatermarkIsAckedCumulativelySoANewConsumerStartsAfterIt() throws Exception {
        String topic = SharedPulsar.uniqueTopic("cumulative");
        produce(topic, 10, false);
        PulsarSource first = new PulsarSource(SharedPulsar.options(), PulsarSourceOptions.of(topic).withKind(SubscriptionKind.FAILOVER));
        first.start(new SourceContext("cumulative", SourceContext.Resume.BROKER, Map.of(), 100));
        List<SourceRecord> all = poll(first, 10);
        Position watermark = all.get(6).position();
        first.committed(Map.of(watermark.partition(), watermark));
        Thread.sleep(500);
        first.close();

        PulsarSource second = new PulsarSource(SharedPulsar.options(), PulsarSourceOptions.of(topic).withKind(SubscriptionKind.FAILOVER));
        second.start(new SourceContext("cumulative", SourceContext.Resume.BROKER, Map.of(), 100));
        try {
            assertThat(poll(second, 3)).extracting(PulsarSourceTest::payload).containsExactly("m7", "m8", "m9");
        } finally {
            second.close();
        }
    }

    @Test
    void aSharedSubscriptionAcksEachDoneRecord() throws Exception {
        String topic = SharedPulsar.uniqueTopic("shared");
        produce(topic, 5, false);
        PulsarSource first = new PulsarSource(SharedPulsar.options(), PulsarSourceOptions.of(topic).withKind(SubscriptionKind.SHARED));
        first.start(new SourceContext("shared", SourceContext.Resume.BROKER, Map.of(), 100));
        List<SourceRecord> all = poll(first, 5);
        all.get(0).ack().done();
        all.get(2).ack().done();
        Thread.sleep(500);
        first.close();

        PulsarSource second = new PulsarSource(SharedPulsar.options(), PulsarSourceOptions.of(topic).withKind(SubscriptionKind.SHARED));
        second.start(new SourceContext("shared", SourceContext.Resume.BROKER, Map.of(), 100));
        try {
            List<SourceRecord> redelivered = poll(second, 3);
            assertThat(redelivered).extracting(PulsarSourceTest::payload).containsExactlyInAnyOrder("m1", "m3", "m4");
        } finally {
            second.close();
        }
    }

    @Test
    void anUnusableStoredPositionFailsTheStartPermanentlyNamingThePartition() {
        String topic = SharedPulsar.uniqueTopic("garbage");
        PulsarSource source = new PulsarSource(SharedPulsar.options(), PulsarSourceOptions.of(topic));
        Position garbage = new Position(topic, "not-a-message-id!", 1);

        assertThatThrownBy(() -> source.start(new SourceContext("garbage", SourceContext.Resume.STORE, Map.of(topic, garbage), 100)))
                .isInstanceOf(PermanentException.class).hasMessageContaining(topic).hasMessageContaining("LEDGER:ENTRY");
        source.close();
    }

    @Test
    void lagIsTheSubscriptionsBacklogFromTheAdminApiAndFallsToZeroOnceTheRecordsAreAcked() throws Exception {
        String topic = SharedPulsar.uniqueTopic("lag");
        PulsarSource source = new PulsarSource(withAdminApi(), PulsarSourceOptions.of(topic));
        source.start(new SourceContext("lag", SourceContext.Resume.BROKER, Map.of(), 100));
        try {
            produce(topic, 30, false);
            await().atMost(Duration.ofSeconds(30)).until(() -> source.lag() == 30);

            List<SourceRecord> read = poll(source, 30);
            assertThat(read).hasSize(30);
            SourceRecord last = read.get(29);
            source.committed(Map.of(last.position().partition(), last.position()));

            await().atMost(Duration.ofSeconds(30)).until(() -> source.lag() == 0);
        } finally {
            source.close();
        }
    }

    @Test
    void lagOfAPartitionedTopicAddsUpItsPartitions() throws Exception {
        String topic = partitionedTopic("lag-partitioned", 3);
        PulsarSource source = new PulsarSource(withAdminApi(), PulsarSourceOptions.of(topic));
        source.start(new SourceContext("lag-partitioned", SourceContext.Resume.BROKER, Map.of(), 100));
        try {
            produceKeyed(topic, 45, 45);
            await().atMost(Duration.ofSeconds(30)).until(() -> source.lag() == 45);
        } finally {
            source.close();
        }
    }

    @Test
    void lagIsUnknownWithoutAnAdminUrl() throws Exception {
        String topic = SharedPulsar.uniqueTopic("lag-unknown");
        PulsarSource source = new PulsarSource(SharedPulsar.options(), PulsarSourceOptions.of(topic));
        source.start(new SourceContext("lag-unknown", SourceContext.Resume.BROKER, Map.of(), 100));
        try {
            produce(topic, 5, false);
            assertThat(poll(source, 5)).hasSize(5);
            assertThat(source.lag()).isEqualTo(-1);
        } finally {
            source.close();
        }
    }

    @Test
    void largeMessagesAreReadAheadOnlyUpToTheReadAheadBytesAndAllArriveInOrder() throws Exception {
        String topic = SharedPulsar.uniqueTopic("large");
        int size = 1 << 20;
        int count = 24;
        try (Producer<byte[]> producer = SharedPulsar.client().newProducer(Schema.BYTES).topic(topic).enableBatching(false).create()) {
            for (int i = 0; i < count; i++) {
                byte[] body = new byte[size];
                body[0] = (byte) i;
                producer.send(body);
            }
        }
        long readAhead = 2L << 20;
        PulsarSource source = new PulsarSource(SharedPulsar.options(), PulsarSourceOptions.of(topic));
        source.start(new SourceContext("large", SourceContext.Resume.BROKER, Map.of(), 1000, readAhead));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> source.readAheadBytes() > 0);
            List<Integer> firstBytes = new ArrayList<>();
            long mostHeld = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (firstBytes.size() < count && System.nanoTime() < deadline) {
                mostHeld = Math.max(mostHeld, source.readAheadBytes());
                for (SourceRecord r : source.poll(1, Duration.ofMillis(500))) {
                    assertThat(r.message().payload()).hasSize(size);
                    firstBytes.add((int) r.message().payload()[0]);
                }
            }
            assertThat(firstBytes).containsExactlyElementsOf(java.util.stream.IntStream.range(0, count).boxed().toList());
            assertThat(mostHeld).as("bytes held ahead of the pipeline (read-ahead %d, messages of %d)", readAhead, size)
                    .isLessThanOrEqualTo(readAhead + 2L * size);
        } finally {
            source.close();
        }
    }

    private static PulsarConnectionOptions withAdminApi() {
        return SharedPulsar.options().withAdminUrl(URI.create(PulsarTestBroker.shared().webUrl()));
    }
}
