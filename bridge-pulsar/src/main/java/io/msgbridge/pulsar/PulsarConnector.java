package io.msgbridge.pulsar;

import io.msgbridge.backend.BackendSinkSpec;
import io.msgbridge.backend.BackendSourceSpec;
import io.msgbridge.backend.ReaderSpec;
import io.msgbridge.spi.ConfigNode;
import io.msgbridge.spi.Connector;

import java.util.List;
import java.util.Optional;

/**
 * The Apache Pulsar backend ({@code type: pulsar}): a subscription source and a producer sink on
 * pulsar-client, and a reader for {@code bridge tap} ({@link PulsarTapSource}). Found with
 * {@link java.util.ServiceLoader}. Reading config never connects. A sink with a fixed topic can be read back
 * ({@link PulsarReadBackSource}), so a Pulsar dead-letter route can be listed and replayed; a source of named
 * topics (not a pattern) can be read the same way, for {@code bridge verify}.
 */
public final class PulsarConnector implements Connector {

    @Override
    public String type() {
        return "pulsar";
    }

    @Override
    public ConnectionSpec connection(String name, ConfigNode node) {
        return new PulsarConnectionSpec(PulsarConfigReader.connection(name, node));
    }

    /** A checked Pulsar connection section. */
    record PulsarConnectionSpec(PulsarConnectionOptions options) implements ConnectionSpec {
        @Override
        public SourceSpec source(ConfigNode from) {
            PulsarSourceOptions source = PulsarConfigReader.source(from);
            return new BackendSourceSpec<>(options, source, PulsarSource::new, reader(options, source));
        }

        @Override
        public SinkSpec sink(ConfigNode to) {
            PulsarSinkOptions sink = PulsarConfigReader.sink(to);
            return new BackendSinkSpec<>(options, sink, PulsarSink::new, readBack(options, sink),
                    from -> Optional.of(new PulsarTapSource(options, sink.topic().fixedTopic(), from)));
        }
    }

    /**
     * What a sink with a fixed topic wrote, read back for {@code bridge dlq list|replay}; a topic template
     * has none (its topics are not known in advance).
     */
    static Optional<SourceSpec> readBack(PulsarConnectionOptions connection, PulsarSinkOptions sink) {
        if (!sink.topic().fixed()) {
            return Optional.empty();
        }
        String topic = sink.topic().fixedTopic();
        return Optional.of(reader(connection, List.of(topic), "pulsar:read-back " + topic));
    }

    /** What a source of named topics reads, read without a subscription of its own; a pattern has none. */
    static Optional<SourceSpec> reader(PulsarConnectionOptions connection, PulsarSourceOptions source) {
        if (source.topicsPattern().isPresent()) {
            return Optional.empty();
        }
        return Optional.of(reader(connection, source.topics(), "pulsar:read " + String.join(",", source.topics())));
    }

    private static SourceSpec reader(PulsarConnectionOptions connection, List<String> topics, String description) {
        return new ReaderSpec(description, () -> new PulsarReadBackSource(connection, topics));
    }
}
