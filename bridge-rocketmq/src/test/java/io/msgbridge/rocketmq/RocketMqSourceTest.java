package io.msgbridge.rocketmq;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The RocketMQ source on the shared test broker: keys, tags, resume, group offsets and lag. */
@Tag("integration")
class RocketMqSourceTest {
    private final List<Source> sources = new ArrayList<>();
    private RocketMqTestClient client;
    private String topic;

    @BeforeEach
    void setUp() throws Exception {
        client = new RocketMqTestClient(RocketMqTestBroker.shared());
        topic = RocketMqTestClient.uniqueTopic("source");
        client.createTopic(topic);
    }

    @AfterEach
    void tearDown() {
        sources.forEach(Source::close);
        client.close();
    }

    private Source started(RocketMqSourceOptions options, SourceContext.Resume resume, Map<String, Position> stored) throws Exception {
        Source source = new RocketMqSource(RocketMqTestBroker.shared().options("test"), options);
        sources.add(source);
        source.start(new SourceContext("p", resume, stored, 1000));
        return source;
    }

    private static List<SourceRecord> poll(Source source, int count) throws Exception {
        List<SourceRecord> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (out.size() < count && System.nanoTime() < deadline) {
            out.addAll(source.poll(count - out.size(), Duration.ofMillis(200)));
        }
        assertThat(out).as("records within 20 s").hasSize(count);
        return out;
    }

    private static String body(SourceRecord r) {
        return new String(r.message().payload(), StandardCharsets.UTF_8);
    }

    @Test
    void theKeyIsCozesShardingKeyElseTheMessageKeysAndTagsPropertiesAndQueueCrossOver() throws Exception {
        client.send(topic, "TagA", "k-1", "doc-7", Map.of("city", "Zürich"), "a".getBytes(StandardCharsets.UTF_8));
        client.send(topic, "TagA", "k-2", null, Map.of(), "b".getBytes(StandardCharsets.UTF_8));
        Source source = started(RocketMqSourceOptions.of(topic), SourceContext.Resume.BROKER, Map.of());

        Map<String, SourceRecord> byBody = poll(source, 2).stream().collect(Collectors.toMap(RocketMqSourceTest::body, r -> r));

        SourceRecord a = byBody.get("a");
        assertThat(a.message().key()).isEqualTo("doc-7");
        assertThat(byBody.get("b").message().key()).isEqualTo("k-2");
        assertThat(a.message().topic()).isEqualTo(topic);
        assertThat(a.message().headers().first("city")).contains("Zürich");
        assertThat(a.message().headers().first("SHARDING_KEY")).contains("doc-7");
        assertThat(a.message().headers().first("Bridge-RocketMQ-Tags")).contains("TagA");
        assertThat(a.message().headers().first("KEYS")).isEmpty();
        assertThat(a.message().headers().first("Bridge-RocketMQ-Queue-Offset")).contains(a.position().offset());
        assertThat(a.position().partition()).startsWith(topic + "/broker-a/")
                .endsWith("/" + a.message().headers().first("Bridge-RocketMQ-Queue").orElseThrow().split("/")[1]);
        assertThat(a.attempts()).isEqualTo(1);
        assertThat(a.message().eventTime()).isNotNull();
    }

    @Test
    void aTagExpressionFiltersMessages() throws Exception {
        client.send(topic, "TagA", "k", null, Map.of(), "a".getBytes(StandardCharsets.UTF_8));
        client.send(topic, "TagB", "k", null, Map.of(), "b".getBytes(StandardCharsets.UTF_8));
        client.send(topic, "TagC", "k", null, Map.of(), "c".getBytes(StandardCharsets.UTF_8));
        Source source = started(RocketMqSourceOptions.of(topic).withTag("TagA || TagC"), SourceContext.Resume.BROKER, Map.of());

        assertThat(poll(source, 2)).extracting(RocketMqSourceTest::body).containsExactly("a", "c");
        assertThat(source.poll(10, Duration.ofMillis(500))).isEmpty();
    }

    @Test
    void resumesAfterStoredPositionsAndCommitsMoveTheGroupsOffsets() throws Exception {
        client.publishKeyed(topic, 40, 1, 0);
        String group = RocketMqTestClient.uniqueTopic("group");
        Source first = started(RocketMqSourceOptions.of(topic).withConsumerGroup(group), SourceContext.Resume.STORE, Map.of());
        List<SourceRecord> firstTen = poll(first, 10);
        Position tenth = firstTen.get(9).position();
        assertThat(firstTen).extracting(r -> r.position().sequence()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        first.committed(Map.of(tenth.partition(), tenth));
        first.close();

        Source fromStore = started(RocketMqSourceOptions.of(topic).withConsumerGroup(RocketMqTestClient.uniqueTopic("other")),
                SourceContext.Resume.STORE, Map.of(tenth.partition(), new Position(tenth.partition(), "24", 24)));
        assertThat(poll(fromStore, 1).get(0).position().sequence()).as("after the stored position 24").isEqualTo(25);

        Source fromGroup = started(RocketMqSourceOptions.of(topic).withConsumerGroup(group), SourceContext.Resume.BROKER, Map.of());
        assertThat(poll(fromGroup, 1).get(0).position().sequence()).as("after the group's offset, which the commit wrote").isEqualTo(10);
    }

    /**
     * The client's pull task starts the moment a queue is assigned, by default at the queue's end: with
     * messages arriving while the source starts, records from there must not come ahead of the queue's
     * first ones (they did when the queue was sought after being assigned).
     */
    @Test
    void eachQueueIsHandedOutFromItsStartInOrderWhileMessagesArrive() throws Exception {
        client.publishKeyed(topic, 400, 16, 0);
        java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread publisher = new Thread(() -> {
            for (int round = 1; publishing.get(); round++) {
                try {
                    client.publishKeyed(topic, 64, 16, round * 1000);
                } catch (Exception e) {
                    return;
                }
            }
        });
        publisher.start();
        try {
            for (int start = 0; start < 5; start++) {
                Source source = started(RocketMqSourceOptions.of(topic).withConsumerGroup(RocketMqTestClient.uniqueTopic("order")),
                        SourceContext.Resume.STORE, Map.of());
                Map<String, List<Long>> offsets = new java.util.TreeMap<>();
                for (SourceRecord r : poll(source, 400)) {
                    offsets.computeIfAbsent(r.position().partition(), q -> new ArrayList<>()).add(r.position().sequence());
                }
                offsets.forEach((queue, handed) -> {
                    for (int i = 0; i < handed.size(); i++) {
                        assertThat(handed.get(i)).as(queue + ": the record handed out " + (i + 1) + ". of " + handed).isEqualTo(i);
                    }
                });
                source.close();
            }
        } finally {
            publishing.set(false);
            publisher.join();
        }
    }

    @Test
    void aMissingTopicIsAnOutageNamingItAndTheSourceStartsOnceItIsCreated() throws Exception {
        String missing = RocketMqTestClient.uniqueTopic("missing");
        Source source = new RocketMqSource(RocketMqTestBroker.shared().options("test"), RocketMqSourceOptions.of(missing));
        sources.add(source);
        SourceContext context = new SourceContext("p", SourceContext.Resume.STORE, Map.of(), 1000);

        assertThatThrownBy(() -> source.start(context)).isInstanceOfSatisfying(RetriableException.class, e -> {
            assertThat(e.unavailable()).as("an outage: the pipeline is not ready and retries without using up attempts").isTrue();
            assertThat(e.getMessage()).contains("p: rocketmq source", "cannot read topic " + missing, "the topic does not exist",
                    "mqadmin updateTopic");
        });
        assertThat(source.connected()).isFalse();

        client.createTopic(missing);
        client.send(missing, null, "k", null, Map.of(), "after".getBytes(StandardCharsets.UTF_8));
        source.start(context);

        assertThat(poll(source, 1)).extracting(RocketMqSourceTest::body).containsExactly("after");
        assertThat(source.connected()).isTrue();
    }

    /**
     * With a namespace, sink and source name the topic and group as configured; on the broker they are
     * {@code NAMESPACE%name}, and the source's positions name the topic without the namespace.
     */
    @Test
    void aNamespacedSinkAndSourceRoundTripThroughTheNamespacedTopic() throws Exception {
        String namespace = "ns" + Long.toHexString(System.nanoTime());
        RocketMqConnectionOptions connection = RocketMqTestBroker.shared().options("test").withNamespace(namespace);
        client.createTopic(namespace + "%" + topic);
        Sink sink = new RocketMqSink(connection, RocketMqSinkOptions.of(topic));
        try {
            sink.start(new SinkContext("p", SinkContext.Role.SINK));
            for (int i = 0; i < 3; i++) {
                Message message = new Message("src", "k", ("m" + i).getBytes(StandardCharsets.UTF_8), Headers.EMPTY, null);
                assertThat(sink.publish(new OutboundRecord(message, "k", "id-" + i, new Position("src/0", "" + i, i))))
                        .succeedsWithin(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            sink.close();
        }
        assertThat(client.readAll(namespace + "%" + topic, 3, Duration.ofSeconds(20))).extracting(RocketMqTestClient::body)
                .containsExactly("m0", "m1", "m2");
        assertThat(client.readAll(topic, 1, Duration.ofSeconds(2))).as("the topic without the namespace").isEmpty();

        String group = RocketMqTestClient.uniqueTopic("group");
        Source source = new RocketMqSource(connection, RocketMqSourceOptions.of(topic).withConsumerGroup(group));
        sources.add(source);
        source.start(new SourceContext("p", SourceContext.Resume.BROKER, Map.of(), 1000));
        List<SourceRecord> read = poll(source, 3);
        assertThat(read).extracting(RocketMqSourceTest::body).containsExactly("m0", "m1", "m2");
        assertThat(read).allSatisfy(r -> {
            assertThat(r.message().topic()).isEqualTo(topic);
            assertThat(r.position().partition()).startsWith(topic + "/broker-a/");
        });
        Position last = read.get(2).position();
        source.committed(Map.of(last.partition(), last));
        source.close();

        Source again = new RocketMqSource(connection, RocketMqSourceOptions.of(topic).withConsumerGroup(group));
        sources.add(again);
        again.start(new SourceContext("p", SourceContext.Resume.BROKER, Map.of(), 1000));
        client.send(namespace + "%" + topic, null, "k", null, Map.of(), "m3".getBytes(StandardCharsets.UTF_8));
        assertThat(poll(again, 1)).as("after the offset the commit wrote as the namespaced group's").extracting(RocketMqSourceTest::body)
                .containsExactly("m3");
    }

    @Test
    void lagIsWhatTheQueuesHoldBeyondWhatWasHandedOut() throws Exception {
        client.publishKeyed(topic, 30, 3, 0);
        Source source = started(RocketMqSourceOptions.of(topic).withConsumerGroup(RocketMqTestClient.uniqueTopic("lag")),
                SourceContext.Resume.BROKER, Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> source.lag() == 30);

        poll(source, 12);

        await().atMost(Duration.ofSeconds(10)).until(() -> source.lag() == 18);
        assertThat(source.connected()).isTrue();
    }

    @Test
    void aNewGroupWithLatestStartsAfterWhatTheQueuesHeld() throws Exception {
        client.send(topic, null, "k", null, Map.of(), "old".getBytes(StandardCharsets.UTF_8));
        Source source = started(RocketMqSourceOptions.of(topic).withConsumerGroup(RocketMqTestClient.uniqueTopic("new"))
                .withInitialPosition(RocketMqSourceOptions.InitialPosition.LATEST), SourceContext.Resume.BROKER, new HashMap<>());
        client.send(topic, null, "k", null, Map.of(), "new".getBytes(StandardCharsets.UTF_8));

        assertThat(poll(source, 1)).extracting(RocketMqSourceTest::body).containsExactly("new");
    }
}
