package io.msgbridge.kafka;

import io.msgbridge.spi.Connector;
import io.msgbridge.spi.DeadLetterReadBackContract;
import io.msgbridge.spi.Sink;
import org.junit.jupiter.api.Tag;

import java.util.Optional;

/** A Kafka dead-letter route read back for {@code bridge dlq list|replay}: what it held at start, nothing later. */
@Tag("integration")
class KafkaReadBackTest extends DeadLetterReadBackContract {
    @Override
    protected String newRoute() {
        return SharedKafka.newTopic("dlq", 2);
    }

    @Override
    protected Sink sink(String route) {
        return new KafkaSink(SharedKafka.options(), KafkaSinkOptions.of(route));
    }

    @Override
    protected Optional<Connector.SourceSpec> readBack(String route) {
        return KafkaConnector.readBack(SharedKafka.options(), KafkaSinkOptions.of(route));
    }
}
