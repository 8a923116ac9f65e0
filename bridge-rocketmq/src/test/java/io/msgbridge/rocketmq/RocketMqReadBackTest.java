package io.msgbridge.rocketmq;

import io.msgbridge.spi.Connector;
import io.msgbridge.spi.DeadLetterReadBackContract;
import io.msgbridge.spi.Sink;
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
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A RocketMQ dead-letter route read back for {@code bridge dlq list|replay}, and a source's topic read for
 * {@code bridge verify}: what the topic held at start, nothing later, nothing consumed.
 */
@Tag("integration")
class RocketMqReadBackTest extends DeadLetterReadBackContract {
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

    @Override
    protected String newRoute() {
        return topic;
    }

    @Override
    protected Sink sink(String route) {
        return new RocketMqSink(RocketMqTestBroker.shared().options("test"), RocketMqSinkOptions.of(route));
    }

    @Override
    protected Optional<Connector.SourceSpec> readBack(String route) {
        return RocketMqConnector.readBack(RocketMqTestBroker.shared().options("test"), RocketMqSinkOptions.of(route));
    }

    @Override
    protected void assertPartition(SourceRecord record, String route) {
        assertThat(record.position().partition()).startsWith(route + "/broker-a/");
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
        assertThat(read).extracting(DeadLetterReadBackContract::body).containsExactly("m0", "m2", "m4");

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
