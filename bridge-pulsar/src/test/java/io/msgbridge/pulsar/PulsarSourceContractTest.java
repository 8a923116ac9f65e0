package io.msgbridge.pulsar;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContract;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.TypedMessageBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import java.util.List;

/** The source contract for an exclusive subscription on a topic of the shared test broker. */
@Tag("integration")
class PulsarSourceContractTest extends SourceContract {
    private PulsarClient client;
    private String topic;

    @BeforeEach
    void createClient() throws Exception {
        client = SharedPulsar.client();
        topic = SharedPulsar.uniqueTopic("source-contract");
    }

    @Override
    protected Source newSource() {
        return new PulsarSource(SharedPulsar.options(), PulsarSourceOptions.of(topic).withReceiverQueue(16));
    }

    @Override
    protected String topic() {
        return topic;
    }

    @Override
    protected void produce(List<Message> messages) throws Exception {
        try (Producer<byte[]> producer = client.newProducer(Schema.BYTES).topic(topic).create()) {
            for (Message m : messages) {
                TypedMessageBuilder<byte[]> b = producer.newMessage();
                PulsarMessageMapper.toPulsar(m, m.key(), b);
                b.send();
            }
        }
    }
}
