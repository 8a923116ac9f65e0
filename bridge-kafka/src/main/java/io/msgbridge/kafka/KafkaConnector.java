package io.msgbridge.kafka;

import io.msgbridge.backend.BackendSinkSpec;
import io.msgbridge.backend.BackendSourceSpec;
import io.msgbridge.backend.ReaderSpec;
import io.msgbridge.spi.ConfigNode;
import io.msgbridge.spi.Connector;

import java.util.List;
import java.util.Optional;

/**
 * The Apache Kafka backend ({@code type: kafka}): a consumer source and an idempotent producer sink on
 * kafka-clients. Found with {@link java.util.ServiceLoader}. Reading config never connects. A sink with a
 * fixed topic can be read back ({@link KafkaReadBackSource}), so a Kafka dead-letter route can be listed
 * and replayed, and tapped ({@code bridge tap}) by the same source without an end; a source of named
 * topics (not a pattern) can be read the same way, for {@code bridge verify}.
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
            KafkaSourceOptions source = KafkaConfigReader.source(from);
            return new BackendSourceSpec<>(options, source, KafkaSource::new, reader(options, source));
        }

        @Override
        public SinkSpec sink(ConfigNode to) {
            KafkaSinkOptions sink = KafkaConfigReader.sink(to);
            return new BackendSinkSpec<>(options, sink, KafkaSink::new, readBack(options, sink),
                    from -> Optional.of(new KafkaReadBackSource(options, List.of(sink.topic().fixedTopic()), Optional.of(from))));
        }
    }

    /**
     * What a sink with a fixed topic wrote, read back for {@code bridge dlq list|replay}; a topic template
     * has none (its topics are not known in advance).
     */
    static Optional<SourceSpec> readBack(KafkaConnectionOptions connection, KafkaSinkOptions sink) {
        if (!sink.topic().fixed()) {
            return Optional.empty();
        }
        String topic = sink.topic().fixedTopic();
        return Optional.of(reader(connection, List.of(topic), "kafka:read-back " + topic));
    }

    /** What a source of named topics reads, read without a consumer group; a pattern has none. */
    static Optional<SourceSpec> reader(KafkaConnectionOptions connection, KafkaSourceOptions source) {
        if (source == null || source.topicsPattern().isPresent()) {
            return Optional.empty();
        }
        return Optional.of(reader(connection, source.topics(), "kafka:read " + String.join(",", source.topics())));
    }

    private static SourceSpec reader(KafkaConnectionOptions connection, List<String> topics, String description) {
        return new ReaderSpec(description, () -> new KafkaReadBackSource(connection, topics, Optional.empty()));
    }
}
