package io.msgbridge.kafka;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import java.util.List;

/** The source contract for every partition of a two-partition topic of the shared test broker. */
@Tag("integration")
class KafkaSourceContractTest extends SourceContract {
    private String topic;

    @BeforeEach
    void createTopic() {
        topic = SharedKafka.newTopic("source-contract", 2);
    }

    @Override
    protected Source newSource() {
        return new KafkaSource(SharedKafka.options(), KafkaSourceOptions.of(topic));
    }

    @Override
    protected String topic() {
        return topic;
    }

    /** Writes to partition 0 only: the contract checks the order of one partition against what was produced. */
    @Override
    protected void produce(List<Message> messages) throws Exception {
        for (Message m : messages) {
            SharedKafka.producer().send(KafkaMessageMapper.toKafka(m, topic, 0, m.key()));
        }
        SharedKafka.producer().flush();
    }
}
