package io.msgbridge.kafka;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import java.time.Duration;
import java.util.List;

/** The sink contract for a templated destination topic of one partition on the shared test broker. */
@Tag("integration")
class KafkaSinkContractTest extends SinkContract {
    private String prefix;

    @BeforeEach
    void createTopic() {
        prefix = "sink-contract-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        SharedKafka.broker().createTopic(prefix + "-in", 1);
    }

    @Override
    protected Sink newSink() {
        return new KafkaSink(SharedKafka.options(), KafkaSinkOptions.of(prefix + "-{name}"));
    }

    @Override
    protected String topic() {
        return "in";
    }

    @Override
    protected List<Message> readBack(int expected, Duration timeout) {
        return SharedKafka.readAll(prefix + "-in", expected, timeout).stream()
                .map(r -> KafkaMessageMapper.toBridge(r).message()).toList();
    }
}
