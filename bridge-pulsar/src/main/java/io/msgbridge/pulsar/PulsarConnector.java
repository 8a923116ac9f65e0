package io.msgbridge.pulsar;

import io.msgbridge.config.ConfigNode;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.Source;

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
            return new PulsarSourceSpec(options, PulsarConfigReader.source(from));
        }

        @Override
        public SinkSpec sink(ConfigNode to) {
            return new PulsarSinkSpec(options, PulsarConfigReader.sink(to));
        }
    }

    /** A checked {@code from:} section. */
    record PulsarSourceSpec(PulsarConnectionOptions connection, PulsarSourceOptions options) implements SourceSpec {
        @Override
        public Source create() {
            return new PulsarSource(connection, options);
        }

        @Override
        public String describe() {
            return options.describe();
        }
    }

    /** A checked {@code to:} or {@code dead-letter:} section. */
    record PulsarSinkSpec(PulsarConnectionOptions connection, PulsarSinkOptions options) implements SinkSpec {
        @Override
        public Sink create() {
            return new PulsarSink(connection, options);
        }

        @Override
        public String describe() {
            return options.describe();
        }
    }
}
