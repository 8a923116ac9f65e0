package io.msgbridge.nsq;

import io.msgbridge.config.ConfigNode;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.Source;

/**
 * The NSQ backend ({@code type: nsq}): a source subscribing to a topic's channel and a sink publishing
 * with pipelined PUB/MPUB/DPUB, on an NSQ TCP protocol V2 client of our own. Found with
 * {@link java.util.ServiceLoader}. Reading config never connects.
 */
public final class NsqConnector implements Connector {

    @Override
    public String type() {
        return "nsq";
    }

    @Override
    public ConnectionSpec connection(String name, ConfigNode node) {
        return new NsqConnectionSpec(NsqConfigReader.connection(name, node));
    }

    /** A checked NSQ connection section. */
    record NsqConnectionSpec(NsqConnectionOptions options) implements ConnectionSpec {
        @Override
        public SourceSpec source(ConfigNode from) {
            return new NsqSourceSpec(options, NsqConfigReader.source(from));
        }

        @Override
        public SinkSpec sink(ConfigNode to) {
            return new NsqSinkSpec(options, NsqConfigReader.sink(to));
        }
    }

    /** A checked {@code from:} section. */
    record NsqSourceSpec(NsqConnectionOptions connection, NsqSourceOptions options) implements SourceSpec {
        @Override
        public Source create() {
            return new NsqSource(connection, options);
        }

        @Override
        public String describe() {
            return options.describe();
        }
    }

    /** A checked {@code to:} or {@code dead-letter:} section. */
    record NsqSinkSpec(NsqConnectionOptions connection, NsqSinkOptions options) implements SinkSpec {
        @Override
        public Sink create() {
            return new NsqSink(connection, options);
        }

        @Override
        public String describe() {
            return options.describe();
        }
    }
}
