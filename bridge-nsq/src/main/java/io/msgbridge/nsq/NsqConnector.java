package io.msgbridge.nsq;

import io.msgbridge.backend.BackendSinkSpec;
import io.msgbridge.backend.BackendSourceSpec;
import io.msgbridge.spi.ConfigNode;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Source;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

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

    /**
     * A tap ({@code bridge tap}): an {@link NsqSource} on an ephemeral channel of its own, which takes a copy
     * of every message published to the topic from now on and which nsqd deletes when the tap disconnects.
     * NSQ keeps nothing for a new channel, so a tap always starts from now.
     */
    static Source tap(NsqConnectionOptions connection, NsqSinkOptions sink) {
        String topic = sink.topic().fixedTopic();
        String channel = "bridge-tap-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "#ephemeral";
        return new NsqSource(connection, new NsqSourceOptions(topic, channel));
    }

    /** A checked NSQ connection section. */
    record NsqConnectionSpec(NsqConnectionOptions options) implements ConnectionSpec {
        @Override
        public SourceSpec source(ConfigNode from) {
            return new BackendSourceSpec<>(options, NsqConfigReader.source(from), NsqSource::new);
        }

        @Override
        public SinkSpec sink(ConfigNode to) {
            NsqSinkOptions sink = NsqConfigReader.sink(to);
            return new BackendSinkSpec<>(options, sink, NsqSink::new, Optional.empty(), from -> Optional.of(tap(options, sink)));
        }
    }
}
