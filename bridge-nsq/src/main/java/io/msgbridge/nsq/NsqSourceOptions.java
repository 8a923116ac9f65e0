package io.msgbridge.nsq;

import io.msgbridge.backend.SectionOptions;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.SourceTraits;

import java.util.Objects;
import java.util.Optional;

/**
 * A checked {@code from:} section.
 *
 * @param topic   the topic to subscribe to
 * @param channel the channel: consumers sharing a channel share its messages
 */
public record NsqSourceOptions(String topic, String channel) implements SectionOptions {
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

    /** NSQ messages have no key, one topic, no sequence. */
    @Override
    public SourceTraits sourceTraits() {
        return new SourceTraits(false, false, false, false, Optional.empty());
    }

    /** NSQ cannot seek: a stored position is for operators to read, not one the source resumes from. */
    @Override
    public Position position(String partition, String offset) {
        throw new IllegalArgumentException("NSQ cannot seek, so a position set here would change nothing: nsqd "
                + "redelivers what was not finished; to skip messages, empty the channel with nsqd's /channel/empty");
    }
}
