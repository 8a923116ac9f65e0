package io.msgbridge.rocketmq;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;

/** The source contract for a topic of the shared test broker, written by a plain producer. */
@Tag("integration")
class RocketMqSourceContractTest extends SourceContract {
    private RocketMqTestClient client;
    private String topic;

    @BeforeEach
    void createClient() throws Exception {
        client = new RocketMqTestClient(RocketMqTestBroker.shared());
        topic = RocketMqTestClient.uniqueTopic("source-contract");
        client.send(topic, null, null, null, Map.of(), "create the topic".getBytes());
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Override
    protected Source newSource() {
        return new RocketMqSource(RocketMqTestBroker.shared().options("test"), RocketMqSourceOptions.of(topic)
                .withConsumerGroup(RocketMqTestClient.uniqueTopic("group")).withInitialPosition(RocketMqSourceOptions.InitialPosition.LATEST));
    }

    @Override
    protected String topic() {
        return topic;
    }

    /** Writes to one queue (keyless messages of one source would spread over queues, and order is per queue). */
    @Override
    protected void produce(List<Message> messages) throws Exception {
        for (Message m : messages) {
            Map<String, String> properties = new HashMap<>();
            for (Headers.Header h : m.headers().entries()) {
                properties.put(h.name(), h.value());
            }
            client.send(topic, null, m.key(), null, properties, m.payload());
        }
    }
}
