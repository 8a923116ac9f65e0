package io.msgbridge.rocketmq;

import io.msgbridge.backend.BackendSinkSpec;
import io.msgbridge.backend.BackendSourceSpec;
import io.msgbridge.backend.ReaderSpec;
import io.msgbridge.spi.ConfigNode;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Source;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

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

    /**
     * A tap ({@code bridge tap}): a {@link RocketMqSource} on every queue of the topic, as a consumer group of
     * its own ({@code bridge-tap-RANDOM}) that starts at each queue's first or last message and never
     * writes an offset of it (its client keeps them in memory), so no group's progress changes and none is left behind.
     */
    static Source tap(RocketMqConnectionOptions connection, RocketMqSinkOptions sink, TapFrom from) {
        String topic = sink.topic().fixedTopic();
        String group = "bridge-tap-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        return new RocketMqSource(connection, RocketMqSourceOptions.of(topic).withConsumerGroup(group)
                .withInitialPosition(from == TapFrom.START ? RocketMqSourceOptions.InitialPosition.EARLIEST
                        : RocketMqSourceOptions.InitialPosition.LATEST), false);
    }

    /** A checked RocketMQ connection section. */
    record RocketMqConnectionSpec(RocketMqConnectionOptions options) implements ConnectionSpec {
        @Override
        public SourceSpec source(ConfigNode from) {
            RocketMqSourceOptions source = RocketMqConfigReader.source(from);
            return new BackendSourceSpec<>(options, source, RocketMqSource::new, Optional.of(reader(options, source)));
        }

        @Override
        public SinkSpec sink(ConfigNode to) {
            RocketMqSinkOptions sink = RocketMqConfigReader.sink(to);
            return new BackendSinkSpec<>(options, sink, RocketMqSink::new, readBack(options, sink),
                    from -> Optional.of(tap(options, sink, from)));
        }
    }

    /**
     * What a sink with a fixed topic wrote (every tag), read back for {@code bridge dlq list|replay}; a topic
     * template has none (its topics are not known in advance).
     */
    static Optional<SourceSpec> readBack(RocketMqConnectionOptions connection, RocketMqSinkOptions sink) {
        if (!sink.topic().fixed()) {
            return Optional.empty();
        }
        String topic = sink.topic().fixedTopic();
        return Optional.of(reader(connection, topic, RocketMqSourceOptions.ALL_TAGS, "rocketmq:read-back " + topic));
    }

    /** What a source reads (its topic, its tag expression), read without its consumer group. */
    static SourceSpec reader(RocketMqConnectionOptions connection, RocketMqSourceOptions source) {
        return reader(connection, source.topic(), source.tag(), "rocketmq:read " + source.topic());
    }

    private static SourceSpec reader(RocketMqConnectionOptions connection, String topic, String tag, String description) {
        return new ReaderSpec(description, () -> new RocketMqReadBackSource(connection, topic, tag));
    }
}
