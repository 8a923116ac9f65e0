package io.msgbridge.kafka;

import io.msgbridge.config.ConfigNode;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Source;

import java.util.Optional;

/**
 * The Apache Kafka backend ({@code type: kafka}): a consumer source and an idempotent producer sink on
 * kafka-clients. Found with {@link java.util.ServiceLoader}. Reading config never connects. A sink with a
 * fixed topic can be read back ({@link KafkaReadBackSource}), so a Kafka dead-letter route can be listed
 * and replayed, and tapped ({@code bridge tap}) by the same source without an end.
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
            KafkaSinkOptions sink = KafkaConfigReader.sink(to);
            return new BackendSinkSpec<>(options, sink, KafkaSink::new, readBack(options, sink),
                    from -> Optional.of(new KafkaReadBackSource(options, fixedTopic(sink), Optional.of(from))));
        }
    }

    /** A tap reads one topic: a template names none. */
    private static String fixedTopic(KafkaSinkOptions sink) {
        if (!sink.topic().fixed()) {
            throw new IllegalArgumentException("a topic template names no topic to read; give a topic");
        }
        return sink.topic().render("");
    }

    /**
     * What a sink with a fixed topic wrote, read back for {@code bridge dlq list|replay}; a topic template
     * has none (its topics are not known in advance).
     */
    static Optional<SourceSpec> readBack(KafkaConnectionOptions connection, KafkaSinkOptions sink) {
        if (!sink.topic().fixed()) {
            return Optional.empty();
        }
        String topic = sink.topic().render("");
        return Optional.of(new SourceSpec() {
            @Override
            public Source create() {
                return new KafkaReadBackSource(connection, topic, Optional.empty());
            }

            @Override
            public String describe() {
                return "kafka:read-back " + topic;
            }
        });
    }
}
