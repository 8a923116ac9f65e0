package io.msgbridge.nats;

import io.msgbridge.config.ConfigNode;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.Source;

import java.util.Optional;

/**
 * The NATS backend ({@code type: nats}): core NATS and JetStream sources and sinks on jnats.
 * Found with {@link java.util.ServiceLoader}. Reading config never connects.
 */
public final class NatsConnector implements Connector {

    @Override
    public String type() {
        return "nats";
    }

    @Override
    public ConnectionSpec connection(String name, ConfigNode node) {
        return new NatsConnectionSpec(NatsConfigReader.connection(name, node));
    }

    /** A checked NATS connection section. */
    record NatsConnectionSpec(NatsConnectionOptions options) implements ConnectionSpec {
        @Override
        public SourceSpec source(ConfigNode from) {
            return new NatsSourceSpec(options, NatsConfigReader.source(from));
        }

        @Override
        public SinkSpec sink(ConfigNode to) {
            return new NatsSinkSpec(options, NatsConfigReader.sink(to));
        }
    }

    /** A checked {@code from:} section. */
    record NatsSourceSpec(NatsConnectionOptions connection, NatsSourceOptions options) implements SourceSpec {
        @Override
        public Source create() {
            return switch (options) {
                case CoreSourceOptions core -> new CoreNatsSource(connection, core);
                case JetStreamSourceOptions js -> new JetStreamSource(connection, js);
            };
        }

        @Override
        public String describe() {
            return options.describe();
        }
    }

    /** A checked {@code to:} or {@code dead-letter:} section. */
    record NatsSinkSpec(NatsConnectionOptions connection, NatsSinkOptions options) implements SinkSpec {
        @Override
        public Sink create() {
            return new NatsSink(connection, options);
        }

        @Override
        public String describe() {
            return options.describe();
        }

        @Override
        public Optional<SourceSpec> reader() {
            return JetStreamReadBack.of(connection, options);
        }
    }
}
