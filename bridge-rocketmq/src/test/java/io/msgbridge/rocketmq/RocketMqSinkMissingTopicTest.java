package io.msgbridge.rocketmq;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink on a broker that creates no topics ({@code autoCreateTopicEnable=false}, a pair of its own): a
 * topic that does not exist is an outage naming it (retried, never dead-lettered), and the sink writes to
 * it once it is created.
 */
@Tag("integration")
class RocketMqSinkMissingTopicTest {
    private static RocketMqTestBroker broker;
    private static RocketMqTestClient client;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = RocketMqTestBroker.withoutTopicCreation();
        client = new RocketMqTestClient(broker);
    }

    @AfterAll
    static void stopBroker() {
        if (client != null) {
            client.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static OutboundRecord record(int i) {
        Message message = new Message("src", "k", ("m" + i).getBytes(StandardCharsets.UTF_8), Headers.EMPTY, null);
        return new OutboundRecord(message, "k", "id-" + i, new Position("src/0", Integer.toString(i), i));
    }

    @Test
    void aMissingTopicIsAnOutageNamingItAndTheSinkWritesOnceItIsCreated() throws Exception {
        String topic = RocketMqTestClient.uniqueTopic("missing");
        Sink sink = new RocketMqSink(broker.options("test"), RocketMqSinkOptions.of(topic));
        try {
            sink.start(new SinkContext("p", SinkContext.Role.SINK));

            assertThat(sink.publish(record(0))).failsWithin(20, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(RetriableException.class, e -> {
                        assertThat(e.unavailable()).as("an outage: retried without using up attempts, not dead-lettered: " + e.getMessage()).isTrue();
                        assertThat(e.getMessage()).contains("p: rocketmq sink", "topic " + topic + " does not exist",
                                "mqadmin updateTopic");
                    });

            client.createTopicOnBroker(topic);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            boolean written = false;
            while (!written && System.nanoTime() < deadline) {
                try {
                    sink.publish(record(1)).get(10, TimeUnit.SECONDS);
                    written = true;
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).as("while the route is not known yet").isInstanceOf(RetriableException.class);
                    Thread.sleep(200);
                }
            }
            assertThat(written).as("written within 30 s of the topic's creation").isTrue();
        } finally {
            sink.close();
        }
        assertThat(client.readAll(topic, 1, Duration.ofSeconds(20))).extracting(RocketMqTestClient::body).containsExactly("m1");
    }
}
