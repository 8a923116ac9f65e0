package io.msgbridge.pulsar;

import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pulsar topics read without consuming them: a dead-letter route read back for {@code bridge dlq
 * list|replay} (what it held at start, nothing later), and a source's topics read for {@code bridge
 * verify} (the source's own partitions and positions). Nothing is left on the broker: no subscription,
 * no topic that was not there.
 */
@Tag("integration")
class PulsarReadBackTest {
    private static final Duration CONFIRM = Duration.ofSeconds(20);

    private static String partitionedTopic(String prefix, int partitions) {
        String name = SharedPulsar.uniqueTopic(prefix).substring("persistent://public/default/".length());
        PulsarTestBroker.shared().createPartitionedTopic(name, partitions);
        return "persistent://public/default/" + name;
    }

    private static void deadLetter(Sink sink, int i) {
        Message message = new Message("orders", "k" + i, ("dead" + i).getBytes(StandardCharsets.UTF_8),
                Headers.of("bridge.error.stage", "sink", "bridge.error.position", Integer.toString(i)), null);
        assertThat(sink.publish(new OutboundRecord(message, "k" + i, new Position("orders", Integer.toString(i), i))))
                .succeedsWithin(CONFIRM);
    }

    private static List<SourceRecord> read(Connector.SourceSpec reader, Map<String, Position> stored, Runnable afterStart)
            throws InterruptedException {
        List<SourceRecord> all = new ArrayList<>();
        try (Source source = reader.create()) {
            source.start(new SourceContext("readback", SourceContext.Resume.STORE, stored, 100));
            afterStart.run();
            long deadline = System.nanoTime() + CONFIRM.toNanos();
            while (source.lag() != 0 && System.nanoTime() < deadline) {
                all.addAll(source.poll(3, Duration.ofMillis(200)));
            }
            assertThat(source.lag()).as("lag once everything was read").isZero();
            assertThat(source.poll(10, Duration.ofMillis(100))).isEmpty();
        }
        return all;
    }

    private static String payload(SourceRecord r) {
        return new String(r.message().payload(), StandardCharsets.UTF_8);
    }

    private static void awaitNoSubscription(String topic) {
        await().atMost(CONFIRM).untilAsserted(() ->
                assertThat(PulsarTestBroker.shared().subscriptions(topic)).as("subscriptions on " + topic).contains(List.of()));
    }

    @Test
    void readsWhatThePartitionedRouteHeldAtStartWithItsErrorHeadersAndNothingWrittenLater() throws Exception {
        String topic = partitionedTopic("dlq", 2);
        Sink sink = new PulsarSink(SharedPulsar.options(), PulsarSinkOptions.of(topic));
        sink.start(new SinkContext("readback", SinkContext.Role.DEAD_LETTER));
        Connector.SourceSpec reader = PulsarConnector.readBack(SharedPulsar.options(), PulsarSinkOptions.of(topic)).orElseThrow();
        try {
            for (int i = 0; i < 5; i++) {
                deadLetter(sink, i);
            }
            List<SourceRecord> records = read(reader, Map.of(), () -> deadLetter(sink, 5));

            assertThat(records).extracting(PulsarReadBackTest::payload)
                    .containsExactlyInAnyOrder("dead0", "dead1", "dead2", "dead3", "dead4");
            SourceRecord first = records.getFirst();
            assertThat(first.message().headers().first("bridge.error.stage")).contains("sink");
            assertThat(first.message().key()).isEqualTo("k" + payload(first).substring(4));
            assertThat(records).extracting(r -> r.position().partition())
                    .allMatch(p -> p.startsWith(topic + "-partition-"));

            SourceRecord last = records.getLast();
            List<SourceRecord> after = read(reader, Map.of(last.position().partition(), last.position()), () -> { });
            assertThat(after).extracting(SourceRecord::position).doesNotContain(last.position());
            assertThat(after).extracting(PulsarReadBackTest::payload).contains("dead5").doesNotContain(payload(last));
        } finally {
            sink.close();
        }
        awaitNoSubscription(topic);
        assertThat(PulsarConnector.readBack(SharedPulsar.options(), PulsarSinkOptions.of("{topic}-dlq"))).isEmpty();
    }

    @Test
    void readsASourcesTopicWithTheSourcesOwnPartitionsAndPositionsLeavingNoSubscription() throws Exception {
        String topic = partitionedTopic("verify", 2);
        try (Producer<byte[]> producer = SharedPulsar.client().newProducer(Schema.BYTES).topic(topic).enableBatching(true).create()) {
            for (int i = 0; i < 30; i++) {
                producer.newMessage().key("k" + i % 6).value(("m" + i).getBytes(StandardCharsets.UTF_8)).sendAsync();
            }
            producer.flush();
        }
        PulsarSourceOptions options = PulsarSourceOptions.of(topic);
        List<SourceRecord> read = read(PulsarConnector.reader(SharedPulsar.options(), options).orElseThrow(), Map.of(), () -> { });
        awaitNoSubscription(topic);

        List<SourceRecord> consumed = new ArrayList<>();
        try (PulsarSource source = new PulsarSource(SharedPulsar.options(), options)) {
            source.start(new SourceContext("verify", SourceContext.Resume.BROKER, Map.of(), 100));
            long deadline = System.nanoTime() + CONFIRM.toNanos();
            while (consumed.size() < 30 && System.nanoTime() < deadline) {
                consumed.addAll(source.poll(30, Duration.ofMillis(200)));
            }
        }

        assertThat(read).hasSize(30);
        assertThat(read).extracting(SourceRecord::position).containsExactlyInAnyOrderElementsOf(
                consumed.stream().map(SourceRecord::position).toList());
        assertThat(byPartition(read)).isEqualTo(byPartition(consumed));
        assertThat(PulsarConnector.reader(SharedPulsar.options(), new PulsarSourceOptions(List.of(),
                Optional.of(java.util.regex.Pattern.compile("persistent://public/default/verify-.*")), Optional.empty(),
                SubscriptionKind.EXCLUSIVE, StartPosition.EARLIEST, 10, PulsarSourceOptions.DEFAULT_PATTERN_DISCOVERY))).isEmpty();
    }

    /** Payloads in order, per partition. */
    private static Map<String, List<String>> byPartition(List<SourceRecord> records) {
        return records.stream().collect(Collectors.groupingBy(r -> r.position().partition(),
                Collectors.mapping(PulsarReadBackTest::payload, Collectors.toList())));
    }

    @Test
    void readsATopicThatDoesNotExistAsEmptyWithoutCreatingIt() throws Exception {
        String topic = SharedPulsar.uniqueTopic("never-written");

        assertThat(read(PulsarConnector.readBack(SharedPulsar.options(), PulsarSinkOptions.of(topic)).orElseThrow(), Map.of(), () -> { }))
                .isEmpty();
        assertThat(PulsarTestBroker.shared().subscriptions(topic)).as("the topic, after reading it").isEmpty();
    }
}
