package io.msgbridge.nsq;

import io.msgbridge.config.ConfigNode;
import io.msgbridge.spi.Connector;

import java.util.Optional;

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
            return new BackendSourceSpec<>(options, NsqConfigReader.source(from), NsqSource::new);
        }

        @Override
        public SinkSpec sink(ConfigNode to) {
            return new BackendSinkSpec<>(options, NsqConfigReader.sink(to), NsqSink::new, Optional.empty());
        }
    }
}
