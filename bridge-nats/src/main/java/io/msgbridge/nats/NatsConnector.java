package io.msgbridge.nats;

import io.msgbridge.backend.BackendSinkSpec;
import io.msgbridge.backend.BackendSourceSpec;
import io.msgbridge.spi.ConfigNode;
import io.msgbridge.spi.Connector;
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
            NatsSourceOptions source = NatsConfigReader.source(from);
            return new BackendSourceSpec<>(options, source, NatsConnector::source, JetStreamReadBack.of(options, source));
        }

        @Override
        public SinkSpec sink(ConfigNode to) {
            NatsSinkOptions sink = NatsConfigReader.sink(to);
            return new BackendSinkSpec<>(options, sink, NatsSink::new, JetStreamReadBack.of(options, sink),
                    from -> Optional.of(new NatsTapSource(options, tapSubject(sink), sink.mode(), from)));
        }
    }

    /** A sink's subject as a tap reads it: a fixed one; a template names no subject to read. */
    private static String tapSubject(NatsSinkOptions sink) {
        String subject = sink.subject().toString();
        if (subject.contains("{")) {
            throw new IllegalArgumentException("\"" + subject + "\" is a subject template; give a subject, wildcards allowed");
        }
        return subject;
    }

    private static Source source(NatsConnectionOptions connection, NatsSourceOptions options) {
        return switch (options) {
            case CoreSourceOptions core -> new CoreNatsSource(connection, core);
            case JetStreamSourceOptions js -> new JetStreamSource(connection, js);
        };
    }
}
