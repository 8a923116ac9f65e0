package io.msgbridge.rocketmq;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A RocketMQ dead-letter route read back for {@code bridge dlq list|replay}, and a source's topic read for
 * {@code bridge verify}: what the topic held at start, nothing later, nothing consumed.
 */
@Tag("integration")
class RocketMqReadBackTest {
    private static final Duration CONFIRM = Duration.ofSeconds(20);
    private RocketMqTestClient client;
    private String topic;

    @BeforeEach
    void setUp() throws Exception {
        client = new RocketMqTestClient(RocketMqTestBroker.shared());
        topic = RocketMqTestClient.uniqueTopic("dlq");
        client.createTopic(topic);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private static void deadLetter(Sink sink, int i) {
        Message message = new Message("orders", "k" + i, ("dead" + i).getBytes(StandardCharsets.UTF_8),
                Headers.of("bridge.error.stage", "sink", "bridge.error.position", Integer.toString(i)), null);
        assertThat(sink.publish(new OutboundRecord(message, "k" + i, "p/orders-0/" + i, new Position("orders-0", Integer.toString(i), i))))
                .succeedsWithin(CONFIRM);
    }

    private static List<SourceRecord> readUntilDone(Source source) throws InterruptedException {
        List<SourceRecord> all = new ArrayList<>();
        long deadline = System.nanoTime() + CONFIRM.toNanos();
        while (source.lag() != 0 && System.nanoTime() < deadline) {
            all.addAll(source.poll(2, Duration.ofMillis(200)));
        }
        assertThat(source.lag()).as("lag once everything was read").isZero();
        assertThat(source.poll(10, Duration.ofMillis(100))).isEmpty();
        return all;
    }

    private static String body(SourceRecord r) {
        return new String(r.message().payload(), StandardCharsets.UTF_8);
    }

    @Test
    void readsWhatTheRouteHeldAtStartWithItsErrorHeadersAndNothingWrittenLater() throws Exception {
        Sink sink = new RocketMqSink(RocketMqTestBroker.shared().options("test"), RocketMqSinkOptions.of(topic));
        sink.start(new SinkContext("readback", SinkContext.Role.DEAD_LETTER));
        Connector.SourceSpec reader = RocketMqConnector.readBack(RocketMqTestBroker.shared().options("test"),
                RocketMqSinkOptions.of(topic)).orElseThrow();
        try {
            for (int i = 0; i < 5; i++) {
                deadLetter(sink, i);
            }
            Source source = reader.create();
            source.start(new SourceContext("orders~list", SourceContext.Resume.STORE, Map.of(), 100));
            deadLetter(sink, 5);

            List<SourceRecord> records = readUntilDone(source);
            source.close();

            assertThat(records).extracting(RocketMqReadBackTest::body).containsExactlyInAnyOrder("dead0", "dead1", "dead2", "dead3", "dead4");
            assertThat(records.get(0).message().headers().first("bridge.error.stage")).contains("sink");
            assertThat(records.get(0).position().partition()).startsWith(topic + "/broker-a/");
            SourceRecord last = records.get(records.size() - 1);

            Source resumed = reader.create();
            resumed.start(new SourceContext("orders~replay", SourceContext.Resume.STORE,
                    Map.of(last.position().partition(), last.position()), 100));
            List<SourceRecord> after = readUntilDone(resumed);
            resumed.close();
            assertThat(after).extracting(SourceRecord::position).doesNotContain(last.position());
            assertThat(after).extracting(RocketMqReadBackTest::body).contains("dead5");
        } finally {
            sink.close();
        }
        assertThat(RocketMqConnector.readBack(RocketMqTestBroker.shared().options("test"), RocketMqSinkOptions.of("{topic}-dlq"))).isEmpty();
    }

    /**
     * A source's reader reads what the source would (its tag expression), with the source's partitions and
     * positions, and leaves the source's consumer group as it was.
     */
    @Test
    void aSourcesReaderReadsItsTagsAtTheSourcesPositionsWithoutMovingItsGroup() throws Exception {
        String group = RocketMqTestClient.uniqueTopic("group");
        for (int i = 0; i < 6; i++) {
            client.send(topic, i % 2 == 0 ? "TagA" : "TagB", "k", null, Map.of(), ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        RocketMqConnectionOptions connection = RocketMqTestBroker.shared().options("test");
        RocketMqSourceOptions options = RocketMqSourceOptions.of(topic).withTag("TagA").withConsumerGroup(group);
        Source reader = RocketMqConnector.reader(connection, options).create();
        List<SourceRecord> read;
        try {
            reader.start(new SourceContext("p~verify", SourceContext.Resume.STORE, Map.of(), 100));
            read = readUntilDone(reader);
        } finally {
            reader.close();
        }
        assertThat(read).extracting(RocketMqReadBackTest::body).containsExactly("m0", "m2", "m4");

        Source source = new RocketMqSource(connection, options);
        try {
            source.start(new SourceContext("p", SourceContext.Resume.BROKER, Map.of(), 100));
            List<SourceRecord> consumed = new ArrayList<>();
            long deadline = System.nanoTime() + CONFIRM.toNanos();
            while (consumed.size() < 3 && System.nanoTime() < deadline) {
                consumed.addAll(source.poll(3, Duration.ofMillis(200)));
            }
            assertThat(consumed).as("the source reads from the start: its group's offsets did not move")
                    .extracting(SourceRecord::position).containsExactlyElementsOf(read.stream().map(SourceRecord::position).toList());
        } finally {
            source.close();
        }
    }
}
