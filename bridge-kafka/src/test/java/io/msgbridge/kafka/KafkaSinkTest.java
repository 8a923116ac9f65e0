package io.msgbridge.kafka;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.SinkOrdering;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Kafka sink on the shared test broker: partitions, keys, headers, timestamps, and how failures are classified. */
@Tag("integration")
class KafkaSinkTest {
    private static final Duration CONFIRM = Duration.ofSeconds(20);
    private final List<Sink> sinks = new ArrayList<>();

    @AfterEach
    void closeSinks() {
        sinks.forEach(Sink::close);
    }

    private Sink started(KafkaSinkOptions options) throws InterruptedException {
        return started(options, new SinkContext("sink-test", SinkContext.Role.SINK));
    }

    private Sink started(KafkaSinkOptions options, SinkContext context) throws InterruptedException {
        Sink sink = new KafkaSink(SharedKafka.options(), options);
        sinks.add(sink);
        sink.start(context);
        return sink;
    }

    private static OutboundRecord record(Message message, String key, String partition, long offset) {
        return new OutboundRecord(message, key, "sink-test/" + partition + "/" + offset, new Position(partition, Long.toString(offset), offset));
    }

    private static Throwable failure(CompletableFuture<Void> future) throws InterruptedException {
        try {
            future.get(CONFIRM.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("the publish succeeded");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the publish neither succeeded nor failed within " + CONFIRM);
        }
    }

    @Test
    void declaresThatAKeyMayHaveManyRecordsInFlightInOrder() throws Exception {
        Sink sink = started(KafkaSinkOptions.of(SharedKafka.newTopic("window", 1)));

        assertThat(sink.ordering()).isEqualTo(SinkOrdering.pipelined(KafkaSink.WINDOW));
        assertThat(KafkaSink.WINDOW).isGreaterThan(5);
    }

    @Test
    void writesThePipelinesKeyWithHeadersInOrderAndTheEventTime() throws Exception {
        String topic = SharedKafka.newTopic("keys", 3);
        Sink sink = started(KafkaSinkOptions.of(topic));
        Instant time = Instant.parse("2026-12-01T10:15:30.123Z");
        Message message = new Message("orders", "source-key", "v".getBytes(StandardCharsets.UTF_8),
                Headers.of("h", "1", "h", "2", "other", "x", KafkaMessageMapper.OFFSET, "77"), time);

        assertThat(sink.publish(record(message, "pipeline-key", "orders-0", 1))).succeedsWithin(CONFIRM);

        ConsumerRecord<byte[], byte[]> back = SharedKafka.readAll(topic, 1, CONFIRM).get(0);
        assertThat(new String(back.key(), StandardCharsets.UTF_8)).isEqualTo("pipeline-key");
        assertThat(back.partition()).isEqualTo(Utils.toPositive(Utils.murmur2("pipeline-key".getBytes(StandardCharsets.UTF_8))) % 3);
        assertThat(back.timestamp()).isEqualTo(time.toEpochMilli());
        assertThat(back.headers().toArray()).extracting(h -> h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8))
                .containsExactly("h=1", "h=2", "other=x");
    }

    @Test
    void keylessRecordsOfOneSourcePartitionStayInOnePartitionInOrder() throws Exception {
        String topic = SharedKafka.newTopic("keyless", 4);
        Sink sink = started(KafkaSinkOptions.of(topic));
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            futures.add(sink.publish(record(Message.of("in", ("m" + i).getBytes(StandardCharsets.UTF_8)), null, "in-2", i)));
        }
        assertThat(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))).succeedsWithin(CONFIRM);

        List<ConsumerRecord<byte[], byte[]>> back = SharedKafka.readAll(topic, 100, CONFIRM);
        assertThat(back).extracting(ConsumerRecord::partition).containsOnly(back.get(0).partition());
        assertThat(back).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100).mapToObj(i -> "m" + i).toList());
    }

    @Test
    void partitionSourceWritesEachRecordToThePartitionItHadAtItsKafkaSource() throws Exception {
        String topic = SharedKafka.newTopic("by-source", 3);
        Sink sink = started(KafkaSinkOptions.of(topic).withPartitioning(KafkaSinkOptions.Partitioning.SOURCE));
        Message fromTwo = new Message("orders", "k", "a".getBytes(StandardCharsets.UTF_8), Headers.of(KafkaMessageMapper.PARTITION, "2"), null);

        assertThat(sink.publish(record(fromTwo, "k", "orders-2", 5))).succeedsWithin(CONFIRM);

        assertThat(SharedKafka.readAll(topic, 1, CONFIRM).get(0).partition()).isEqualTo(2);
    }

    @Test
    void partitionSourceToATopicWithTooFewPartitionsIsAnUnavailableDestination() throws Exception {
        String topic = SharedKafka.newTopic("too-few", 1);
        Sink sink = started(KafkaSinkOptions.of(topic).withPartitioning(KafkaSinkOptions.Partitioning.SOURCE));
        Message fromTwo = new Message("orders", null, "a".getBytes(StandardCharsets.UTF_8), Headers.of(KafkaMessageMapper.PARTITION, "2"), null);

        Throwable error = failure(sink.publish(record(fromTwo, null, "orders-2", 5)));

        assertThat(error).isInstanceOf(RetriableException.class).hasMessageContaining("has 1 partitions; partition: source needs partition 2");
        assertThat(((RetriableException) error).unavailable()).isTrue();
    }

    @Test
    void aTopicThatDoesNotExistWhereBrokersCreateNoneIsAnUnavailableDestination() throws Exception {
        Sink sink = started(KafkaSinkOptions.of("missing-" + java.util.UUID.randomUUID()).withMaxBlock(Duration.ofSeconds(1)));

        Throwable error = failure(sink.publish(record(Message.of("in", new byte[] {1}), "k", "in-0", 1)));

        assertThat(error).isInstanceOf(RetriableException.class).hasMessageContaining("does not exist");
        assertThat(((RetriableException) error).unavailable()).isTrue();
    }

    @Test
    void aRecordLargerThanTheWriteBufferButWithinMaxRequestSizeIsStillWritten() throws Exception {
        String topic = SharedKafka.newTopic("small-buffer", 1);
        Sink sink = started(KafkaSinkOptions.of(topic), new SinkContext("sink-test", SinkContext.Role.SINK, 64 * 1024));
        byte[] payload = new byte[512 * 1024];
        payload[payload.length - 1] = 7;

        assertThat(sink.publish(record(Message.of("in", payload), "k", "in-0", 1))).succeedsWithin(CONFIRM);

        assertThat(SharedKafka.readAll(topic, 1, CONFIRM).get(0).value()).isEqualTo(payload);
    }

    @Test
    void aRecordAboveMaxRequestSizeIsPermanentAndTheKeysLaterRecordsWaitForTheRuntimeToResumeIt() throws Exception {
        String topic = SharedKafka.newTopic("too-large", 1);
        Sink sink = started(KafkaSinkOptions.of(topic).withMaxRequestSize(2048));
        Message large = Message.of("in", new byte[10_000]);
        Message small = Message.of("in", new byte[] {1});

        Throwable error = failure(sink.publish(record(large, "k", "in-0", 1)));
        Throwable overtaking = failure(sink.publish(record(small, "k", "in-0", 2)));
        CompletableFuture<Void> resumed = sink.publish(new OutboundRecord(small, "k", "sink-test/in-0/2", new Position("in-0", "2", 2), true));

        assertThat(error).isInstanceOf(PermanentException.class).hasMessageContaining("too large");
        assertThat(overtaking).isInstanceOf(RetriableException.class).hasMessageContaining("an earlier record of key k failed");
        assertThat(resumed).succeedsWithin(CONFIRM);
    }
}
