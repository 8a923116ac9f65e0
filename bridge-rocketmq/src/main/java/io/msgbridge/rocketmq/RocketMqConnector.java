package io.msgbridge.rocketmq;

import io.msgbridge.config.ConfigNode;
import io.msgbridge.spi.Connector;

import java.util.Optional;

/**
 * The Apache RocketMQ backend ({@code type: rocketmq}): a lite pull consumer source and a producer sink
 * on rocketmq-client (the remoting protocol, through the NameServers). Found with
 * {@link java.util.ServiceLoader}. Reading config never connects.
 */
public final class RocketMqConnector implements Connector {

    @Override
    public String type() {
        return "rocketmq";
    }

    @Override
    public ConnectionSpec connection(String name, ConfigNode node) {
        return new RocketMqConnectionSpec(RocketMqConfigReader.connection(name, node));
    }

    /** A checked RocketMQ connection section. */
    record RocketMqConnectionSpec(RocketMqConnectionOptions options) implements ConnectionSpec {
        @Override
        public SourceSpec source(ConfigNode from) {
            return new BackendSourceSpec<>(options, RocketMqConfigReader.source(from), RocketMqSource::new);
        }

        @Override
        public SinkSpec sink(ConfigNode to) {
            return new BackendSinkSpec<>(options, RocketMqConfigReader.sink(to), RocketMqSink::new, Optional.empty());
        }
    }
}
