package io.msgbridge.pulsar;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.SinkEvents;
import io.msgbridge.spi.SinkOrdering;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Sink behaviour beyond the contract, against the shared broker (deduplication on). */
@Tag("integration")
class PulsarSinkTest {
    private static OutboundRecord record(String partition, String key, long sequence) {
        Message m = new Message("in", null, (partition + "/s" + sequence).getBytes(StandardCharsets.UTF_8), Headers.EMPTY, null);
        return new OutboundRecord(m, key, "id-" + sequence, new Position(partition, Long.toString(sequence), sequence));
    }

    private static OutboundRecord record(String key, long sequence) {
        return record("src-partition", key, sequence);
    }

    /** The first record the runtime publishes of its source partition after a failure there. */
    private static OutboundRecord resuming(OutboundRecord r) {
        return new OutboundRecord(r.message(), r.key(), r.id(), r.source(), true);
    }

    private static PulsarSink started(PulsarSinkOptions options, SinkContext.Role role) throws InterruptedException {
        return started(options, role, SinkEvents.NONE);
    }

    private static PulsarSink started(PulsarSinkOptions options, SinkContext.Role role, SinkEvents events) throws InterruptedException {
        PulsarSink sink = new PulsarSink(SharedPulsar.options(), options);
        sink.start(new SinkContext("sink-test", role, SinkContext.DEFAULT_WRITE_BUFFER, events));
        return sink;
    }

    private static void publishAll(PulsarSink sink, List<OutboundRecord> records) throws Exception {
        for (OutboundRecord r : records) {
            sink.publish(r).get(20, TimeUnit.SECONDS);
        }
    }

    private static List<org.apache.pulsar.client.api.Message<byte[]>> readAll(String topic) throws Exception {
        List<org.apache.pulsar.client.api.Message<byte[]>> out = new ArrayList<>();
        try (Reader<byte[]> reader = SharedPulsar.client().newReader(Schema.BYTES).topic(topic).startMessageId(MessageId.earliest).create()) {
            org.apache.pulsar.client.api.Message<byte[]> m;
            while ((m = reader.readNext(2, TimeUnit.SECONDS)) != null) {
                out.add(m);
            }
        }
        return out;
    }

    private static List<String> bodies(String topic) throws Exception {
        return readAll(topic).stream().map(m -> new String(m.getData(), StandardCharsets.UTF_8)).toList();
    }

    private static void assertRetriable(CompletableFuture<Void> future, String text) {
        assertThat(future).failsWithin(20, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(RetriableException.class).withMessageContaining(text);
    }

    @Test
    void withDedupAReplayByANewSinkIsDroppedByTheBrokerAndCounted() throws Exception {
        String topic = SharedPulsar.uniqueTopic("dedup");
        PulsarSinkOptions options = PulsarSinkOptions.of(topic).withDedup(true);
        List<OutboundRecord> first = new ArrayList<>();
        List<OutboundRecord> replay = new ArrayList<>();
        for (long s = 1; s <= 20; s++) {
            first.add(record("k" + s % 3, s));
        }
        for (long s = 11; s <= 30; s++) {
            replay.add(record("k" + s % 3, s));
        }
        PulsarSink before = started(options, SinkContext.Role.SINK);
        publishAll(before, first);
        before.close();
        AtomicLong dropped = new AtomicLong();
        PulsarSink after = started(options, SinkContext.Role.SINK, dropped::addAndGet);
        publishAll(after, replay);
        after.close();

        assertThat(bodies(topic)).hasSize(30).doesNotHaveDuplicates().startsWith("src-partition/s1").endsWith("src-partition/s30");
        assertThat(dropped).as("the replayed records 11..20, confirmed by the broker with message id -1:-1").hasValue(10);
    }

    @Test
    void withDedupRecordsOfManyKeysGoThroughOneProducerPerSourcePartition() throws Exception {
        String topic = SharedPulsar.uniqueTopic("dedup-keys");
        PulsarSink sink = started(PulsarSinkOptions.of(topic).withDedup(true), SinkContext.Role.SINK);
        try {
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (long s = 1; s <= 600; s++) {
                sent.add(sink.publish(record("partition-" + s % 2, "user-" + s, s)));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            assertThat(PulsarTestBroker.shared().publishers(topic)).as("producers on the topic, for 600 keys of 2 partitions")
                    .hasSize(2).allMatch(name -> name.startsWith("bridge-sink-test-"));
        } finally {
            sink.close();
        }
        Map<String, List<Long>> perPartition = new LinkedHashMap<>();
        for (String body : bodies(topic)) {
            String[] parts = body.split("/s");
            perPartition.computeIfAbsent(parts[0], p -> new ArrayList<>()).add(Long.parseLong(parts[1]));
        }
        assertThat(perPartition.get("partition-0")).hasSize(300).isSorted();
        assertThat(perPartition.get("partition-1")).hasSize(300).isSorted();
    }

    @Test
    void withDedupARecordSentAfterAFailedOneOfItsPartitionIsHeldBackUntilTheFailedOneIsPublishedAgain() throws Exception {
        String topic = SharedPulsar.uniqueTopic("dedup-gate");
        PulsarSink sink = started(PulsarSinkOptions.of(topic).withDedup(true).withMaxPendingMessages(2), SinkContext.Role.SINK);
        PulsarTestBroker broker = PulsarTestBroker.shared();
        try {
            sink.publish(record("k", 1)).get(20, TimeUnit.SECONDS);
            CompletableFuture<Void> second;
            CompletableFuture<Void> third;
            broker.freeze();
            try {
                second = sink.publish(record("k", 2));
                third = sink.publish(record("k", 3));
                CompletableFuture<Void> fourth = sink.publish(record("k", 4));
                assertRetriable(fourth, "ProducerQueueIsFull");
            } finally {
                broker.thaw();
            }
            second.get(30, TimeUnit.SECONDS);
            third.get(30, TimeUnit.SECONDS);

            CompletableFuture<Void> fifth = sink.publish(record("k", 5));

            assertRetriable(fifth, "held back behind an earlier record of its source partition that failed");
            publishAll(sink, List.of(resuming(record("k", 4)), record("k", 5)));
        } finally {
            sink.close();
        }
        assertThat(bodies(topic)).containsExactly("src-partition/s1", "src-partition/s2", "src-partition/s3",
                "src-partition/s4", "src-partition/s5");
    }

    @Test
    void withDedupASendTimeoutFailsEveryQueuedRecordAndTheRewindStoresEachOnce() throws Exception {
        String topic = SharedPulsar.uniqueTopic("dedup-timeout");
        Duration sendTimeout = Duration.ofSeconds(3);
        PulsarSink sink = started(PulsarSinkOptions.of(topic).withDedup(true).withSendTimeout(sendTimeout), SinkContext.Role.SINK);
        PulsarTestBroker broker = PulsarTestBroker.shared();
        try {
            sink.publish(record("k", 1)).get(20, TimeUnit.SECONDS);
            broker.freeze();
            try {
                CompletableFuture<Void> head = sink.publish(record("k", 2));
                Thread.sleep(sendTimeout.toMillis() * 2 / 3);
                long queuedLater = System.nanoTime();
                CompletableFuture<Void> behind = sink.publish(record("k", 3));

                assertRetriable(head, "in time");
                assertRetriable(behind, "in time");
                assertThat(Duration.ofNanos(System.nanoTime() - queuedLater)).as("the later record failed with the head,"
                        + " before its own send timeout").isLessThan(sendTimeout.multipliedBy(5).dividedBy(6));
                assertRetriable(sink.publish(record("k", 4)), "held back");
            } finally {
                broker.thaw();
            }
            publishAll(sink, List.of(resuming(record("k", 2)), record("k", 3), record("k", 4)));
        } finally {
            sink.close();
        }
        assertThat(bodies(topic)).as("records 2 and 3 reached the frozen broker and may be stored from then, the rewind's copies"
                + " are dropped").containsExactly("src-partition/s1", "src-partition/s2", "src-partition/s3", "src-partition/s4");
    }

    @Test
    void deadLettersAreNotDeduplicatedSinceTheyArriveOutOfSourceOrder() throws Exception {
        String topic = SharedPulsar.uniqueTopic("dedup-dlq");
        PulsarSink sink = started(PulsarSinkOptions.of(topic).withDedup(true), SinkContext.Role.DEAD_LETTER);
        try {
            assertThat(sink.ordering()).isEqualTo(SinkOrdering.pipelined(PulsarSinkOptions.DEFAULT_MAX_PENDING));

            publishAll(sink, List.of(record("b", 5), record("a", 3)));
        } finally {
            sink.close();
        }
        assertThat(bodies(topic)).containsExactly("src-partition/s5", "src-partition/s3");
    }

    @Test
    void ordersPerKeyWithoutDedupAndPerSourcePartitionWithIt() throws Exception {
        PulsarSink plain = started(PulsarSinkOptions.of(SharedPulsar.uniqueTopic("o")).withMaxPendingMessages(300), SinkContext.Role.SINK);
        PulsarSink dedup = started(PulsarSinkOptions.of(SharedPulsar.uniqueTopic("o")).withDedup(true), SinkContext.Role.SINK);
        try {
            assertThat(plain.ordering()).isEqualTo(new SinkOrdering(300, SinkOrdering.Scope.KEY));
            assertThat(dedup.ordering()).isEqualTo(new SinkOrdering(PulsarSinkOptions.DEFAULT_MAX_PENDING, SinkOrdering.Scope.SOURCE_PARTITION));
        } finally {
            plain.close();
            dedup.close();
        }
    }

    @Test
    void theKeyThePipelineComputedIsTheMessageKeyAndOrderingKey() throws Exception {
        String topic = SharedPulsar.uniqueTopic("key");
        PulsarSink sink = started(PulsarSinkOptions.of(topic), SinkContext.Role.SINK);
        try {
            Message keyless = new Message("in", null, "{\"id\":\"doc-7\"}".getBytes(StandardCharsets.UTF_8), Headers.EMPTY, null);
            sink.publish(new OutboundRecord(keyless, "doc-7", "id", new Position("p", "1", Position.NO_SEQUENCE))).get(20, TimeUnit.SECONDS);
        } finally {
            sink.close();
        }
        List<org.apache.pulsar.client.api.Message<byte[]>> messages = readAll(topic);
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).getKey()).isEqualTo("doc-7");
        assertThat(new String(messages.get(0).getOrderingKey(), StandardCharsets.UTF_8)).isEqualTo("doc-7");
    }

    @Test
    void aTopicThatDoesNotExistWhereTheBrokerCreatesNoneIsAnOutageThatSaysWhatToDo() throws Exception {
        String namespace = "no-auto-" + Long.toHexString(System.nanoTime());
        PulsarTestBroker.shared().createNamespaceWithoutAutoTopicCreation(namespace);
        String topic = "persistent://public/" + namespace + "/missing";
        PulsarSink sink = started(PulsarSinkOptions.of(topic), SinkContext.Role.SINK);
        try {
            CompletableFuture<Void> future = sink.publish(record("k", 1));

            assertThat(future).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(RetriableException.class, e -> assertThat(e.unavailable()).isTrue())
                    .withMessageContaining("topic " + topic + " does not exist").withMessageContaining("pulsar-admin topics create");
        } finally {
            sink.close();
        }
    }

    @Test
    void aRecordLargerThanTheWriteBufferIsConfirmedAloneEvenOnADeduplicatingProducer() throws Exception {
        String topic = SharedPulsar.uniqueTopic("write-buffer");
        PulsarSink sink = new PulsarSink(SharedPulsar.options(), PulsarSinkOptions.of(topic).withDedup(true));
        sink.start(new SinkContext("write-buffer", SinkContext.Role.SINK, 1 << 20));
        try {
            for (int i = 1; i <= 4; i++) {
                byte[] body = new byte[3 << 19];
                body[0] = (byte) i;
                Message m = new Message("in", null, body, Headers.EMPTY, null);
                sink.publish(new OutboundRecord(m, "k", "id-" + i, new Position("src", Long.toString(i), i))).get(20, TimeUnit.SECONDS);
            }
            assertThat(readAll(topic)).extracting(m -> (int) m.getData()[0]).containsExactly(1, 2, 3, 4);
        } finally {
            sink.close();
        }
    }

    @Test
    void aMessageAboveTheBrokersMaximumIsPermanent() throws Exception {
        PulsarSink sink = started(PulsarSinkOptions.of(SharedPulsar.uniqueTopic("big")), SinkContext.Role.SINK);
        try {
            Message huge = Message.of("in", new byte[6 * 1024 * 1024]);

            CompletableFuture<Void> future = sink.publish(new OutboundRecord(huge, "id", new Position("p", "1", 1)));

            assertThat(future).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(PermanentException.class).withMessageContaining("too big");
        } finally {
            sink.close();
        }
    }
}
