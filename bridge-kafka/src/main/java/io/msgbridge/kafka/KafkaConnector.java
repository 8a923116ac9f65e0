package io.msgbridge.kafka;

import io.msgbridge.config.ConfigNode;
import io.msgbridge.spi.Connector;

import java.util.Optional;

/**
 * The Apache Kafka backend ({@code type: kafka}): a consumer source and an idempotent producer sink on
 * kafka-clients. Found with {@link java.util.ServiceLoader}. Reading config never connects.
 */
public final class KafkaConnector implements Connector {

    @Override
    public String type() {
        return "kafka";
    }

    @Override
    public ConnectionSpec connection(String name, ConfigNode node) {
        return new KafkaConnectionSpec(KafkaConfigReader.connection(name, node));
    }

    /** A checked Kafka connection section. */
    record KafkaConnectionSpec(KafkaConnectionOptions options) implements ConnectionSpec {
        @Override
        public SourceSpec source(ConfigNode from) {
            return new BackendSourceSpec<>(options, KafkaConfigReader.source(from), KafkaSource::new);
        }

        @Override
        public SinkSpec sink(ConfigNode to) {
            return new BackendSinkSpec<>(options, KafkaConfigReader.sink(to), KafkaSink::new, Optional.empty());
        }
    }
}
