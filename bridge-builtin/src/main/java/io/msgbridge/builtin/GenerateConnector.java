package io.msgbridge.builtin;

import io.msgbridge.backend.BackendSourceSpec;
import io.msgbridge.spi.ConfigNode;
import io.msgbridge.spi.Connector;

/**
 * The {@code generate} backend: a source of synthetic keyed records ({@link GenerateSource}), for trying the
 * bridge without a broker, load tests and debugging. The connection section has nothing but its type; the
 * {@code from:} section says what to make. It has no sink. Found with {@link java.util.ServiceLoader}.
 */
public final class GenerateConnector implements Connector {

    @Override
    public String type() {
        return "generate";
    }

    @Override
    public ConnectionSpec connection(String name, ConfigNode node) {
        return new GenerateConnectionSpec(name);
    }

    /** A {@code generate} connection, named {@code name}. */
    record GenerateConnectionSpec(String name) implements ConnectionSpec {
        @Override
        public SourceSpec source(ConfigNode from) {
            return new BackendSourceSpec<>(name, BuiltinConfigReader.generate(from), (connection, options) -> new GenerateSource(options));
        }

        @Override
        public SinkSpec sink(ConfigNode to) {
            to.problem("connection", "connection \"" + name + "\" is of type generate, which only makes records: "
                    + "write them to a connection of type stdout, or of a broker");
            return WrongDirection.SINK;
        }
    }
}
