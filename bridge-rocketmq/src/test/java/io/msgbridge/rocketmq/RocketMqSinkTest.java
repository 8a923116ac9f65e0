package io.msgbridge.rocketmq;

import io.msgbridge.backend.DestinationTemplate;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The RocketMQ sink on the shared test broker: queues by key, keys, tags and properties. */
@Tag("integration")
class RocketMqSinkTest {
    private RocketMqTestClient client;
    private Sink sink;
    private String topic;

    @BeforeEach
    void setUp() throws Exception {
        client = new RocketMqTestClient(RocketMqTestBroker.shared());
        topic = RocketMqTestClient.uniqueTopic("sink");
        client.createTopic(topic);
    }

    @AfterEach
    void tearDown() {
        if (sink != null) {
            sink.close();
        }
        client.close();
    }

    private Sink started(RocketMqSinkOptions options) throws Exception {
        sink = new RocketMqSink(RocketMqTestBroker.shared().options("test"), options);
        sink.start(new SinkContext("p", SinkContext.Role.SINK));
        return sink;
    }

    private static OutboundRecord record(String key, String body, Headers headers, int i) {
        Message message = new Message("src", "source-key", body.getBytes(StandardCharsets.UTF_8), headers, null);
        return new OutboundRecord(message, key, "id-" + i, new Position("src/0", Integer.toString(i), i));
    }

    @Test
    void eachKeyGoesToOneQueueInOrderWithItsKeyAsKeysAndShardingKey() throws Exception {
        Sink s = started(RocketMqSinkOptions.of(topic));
        Map<String, Integer> next = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            String key = "key-" + (i % 20);
            int n = next.merge(key, 1, Integer::sum) - 1;
            assertThat(s.publish(record(key, key + ":" + n, Headers.EMPTY, i))).succeedsWithin(10, TimeUnit.SECONDS);
        }

        List<MessageExt> back = client.readAll(topic, 200, Duration.ofSeconds(20));

        assertThat(back).hasSize(200);
        Map<String, Integer> queueOfKey = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (List<MessageExt> queue : RocketMqTestClient.byQueue(back).values()) {
            for (MessageExt m : queue) {
                String key = m.getKeys();
                assertThat(m.getUserProperty("SHARDING_KEY")).isEqualTo(key);
                assertThat(queueOfKey.putIfAbsent(key, m.getQueueId())).isIn(null, m.getQueueId());
                int n = seen.merge(key, 1, Integer::sum) - 1;
                assertThat(RocketMqTestClient.body(m)).isEqualTo(key + ":" + n);
            }
        }
        assertThat(queueOfKey).hasSize(20);
        assertThat(queueOfKey.values()).as("keys spread over the queues").hasSizeGreaterThan(1);
    }

    @Test
    void aKeyLandsInTheQueueTheGoClientsHashSelectorPicks() throws Exception {
        Sink s = started(RocketMqSinkOptions.of(topic));

        assertThat(s.publish(record("foobar", "x", Headers.EMPTY, 0))).succeedsWithin(10, TimeUnit.SECONDS);

        MessageExt m = client.readAll(topic, 1, Duration.ofSeconds(20)).get(0);
        assertThat(m.getQueueId()).isEqualTo((int) (0xbf9cf968L % 8));
    }

    @Test
    void theSourceTagAndHeadersAreWrittenAndTheBackendsOwnHeadersAreNot() throws Exception {
        Sink s = started(RocketMqSinkOptions.of(topic).withTag("{tag}"));
        Headers headers = Headers.of("city", "Zürich", "Bridge-RocketMQ-Tags", "TagA", "Bridge-RocketMQ-Queue", "broker-a/1");

        assertThat(s.publish(record("k", "x", headers, 0))).succeedsWithin(10, TimeUnit.SECONDS);

        MessageExt m = client.readAll(topic, 1, Duration.ofSeconds(20)).get(0);
        assertThat(m.getTags()).isEqualTo("TagA");
        assertThat(m.getUserProperty("city")).isEqualTo("Zürich");
        assertThat(m.getUserProperty("Bridge-RocketMQ-Queue")).isNull();
    }

    @Test
    void aBodyAboveMaxMessageSizeIsRefusedAsPermanent() throws Exception {
        Sink s = started(new RocketMqSinkOptions(DestinationTemplate.of(topic, RocketMqTopics.NAMES), java.util.Optional.empty(), Duration.ofSeconds(5), 1024));

        CompletableFuture<Void> future = s.publish(record("k", "x".repeat(2000), Headers.EMPTY, 0));

        assertThat(future).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(io.msgbridge.spi.PermanentException.class).withMessageContaining("too large or invalid");
    }

    @Test
    void aTopicTheTemplateCannotNameIsRefusedAsPermanent() throws Exception {
        Sink s = started(RocketMqSinkOptions.of("{topic}"));
        Message message = new Message("x".repeat(200), null, new byte[] {1}, Headers.EMPTY, null);

        assertThat(s.publish(new OutboundRecord(message, "id", new Position("p", "1", 1))))
                .failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(io.msgbridge.spi.PermanentException.class).withMessageContaining("invalid topic");
    }
}
