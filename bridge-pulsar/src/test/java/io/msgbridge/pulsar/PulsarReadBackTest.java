package io.msgbridge.pulsar;

import io.msgbridge.spi.Connector;
import io.msgbridge.spi.DeadLetterReadBackContract;
import io.msgbridge.spi.Sink;
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
class PulsarReadBackTest extends DeadLetterReadBackContract {
    private static String partitionedTopic(String prefix, int partitions) {
        String name = SharedPulsar.uniqueTopic(prefix).substring("persistent://public/default/".length());
        PulsarTestBroker.shared().createPartitionedTopic(name, partitions);
        return "persistent://public/default/" + name;
    }

    private static void awaitNoSubscription(String topic) {
        await().atMost(CONFIRM).untilAsserted(() ->
                assertThat(PulsarTestBroker.shared().subscriptions(topic)).as("subscriptions on " + topic).contains(List.of()));
    }

    /** Everything {@code reader} reads from the start. */
    private static List<SourceRecord> read(Connector.SourceSpec reader) throws InterruptedException {
        try (Source source = reader.create()) {
            source.start(new SourceContext("readback", SourceContext.Resume.STORE, Map.of(), 100));
            return readUntilDone(source);
        }
    }

    @Override
    protected String newRoute() {
        return partitionedTopic("dlq", 2);
    }

    @Override
    protected Sink sink(String route) {
        return new PulsarSink(SharedPulsar.options(), PulsarSinkOptions.of(route));
    }

    @Override
    protected Optional<Connector.SourceSpec> readBack(String route) {
        return PulsarConnector.readBack(SharedPulsar.options(), PulsarSinkOptions.of(route));
    }

    @Override
    protected void assertPartition(SourceRecord record, String route) {
        assertThat(record.position().partition()).startsWith(route + "-partition-");
    }

    @Override
    protected void assertNothingLeftOn(String route) {
        awaitNoSubscription(route);
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
        List<SourceRecord> read = read(PulsarConnector.reader(SharedPulsar.options(), options).orElseThrow());
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
                Collectors.mapping(DeadLetterReadBackContract::body, Collectors.toList())));
    }

    @Test
    void readsATopicThatDoesNotExistAsEmptyWithoutCreatingIt() throws Exception {
        String topic = SharedPulsar.uniqueTopic("never-written");

        assertThat(read(PulsarConnector.readBack(SharedPulsar.options(), PulsarSinkOptions.of(topic)).orElseThrow())).isEmpty();
        assertThat(PulsarTestBroker.shared().subscriptions(topic)).as("the topic, after reading it").isEmpty();
    }
}
