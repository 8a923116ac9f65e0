package io.msgbridge.nsq;

import io.msgbridge.spi.Connector;

import java.util.Objects;

/**
 * A checked {@code from:} section.
 *
 * @param topic   the topic to subscribe to
 * @param channel the channel: consumers sharing a channel share its messages
 */
public record NsqSourceOptions(String topic, String channel) implements Connector.SectionOptions {
    public NsqSourceOptions {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(channel, "channel");
    }

    /** The source's one partition: {@code topic/channel}. */
    public String partition() {
        return topic + "/" + channel;
    }

    public String describe() {
        return "nsq:" + partition();
    }
}
