package io.msgbridge.pulsar;

import io.msgbridge.config.ConfigNode;
import io.msgbridge.spi.Connector;

import java.util.Optional;

/**
 * The Apache Pulsar backend ({@code type: pulsar}): a subscription source and a producer sink on
 * pulsar-client. Found with {@link java.util.ServiceLoader}. Reading config never connects.
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
            return new BackendSinkSpec<>(options, PulsarConfigReader.sink(to), PulsarSink::new, Optional.empty());
        }
    }
}
