package io.msgbridge.pulsar;

import io.msgbridge.config.ConfigNode;
import io.msgbridge.spi.Connector;

import java.util.Optional;

/**
 * The Apache Pulsar backend ({@code type: pulsar}): a subscription source and a producer sink on
 * pulsar-client, and a reader for {@code bridge tap} ({@link PulsarTapSource}). Found with
 * {@link java.util.ServiceLoader}. Reading config never connects.
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
            return new BackendSourceSpec<>(options, PulsarConfigReader.source(from), PulsarSource::new);
        }

        @Override
        public SinkSpec sink(ConfigNode to) {
            PulsarSinkOptions sink = PulsarConfigReader.sink(to);
            return new BackendSinkSpec<>(options, sink, PulsarSink::new, Optional.empty(), from -> {
                if (!sink.topic().fixed()) {
                    throw new IllegalArgumentException("a topic template names no topic to read; give a topic");
                }
                return Optional.of(new PulsarTapSource(options, sink.topic().render(""), from));
            });
        }
    }
}
