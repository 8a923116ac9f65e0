package io.msgbridge.builtin;

import io.msgbridge.backend.SectionOptions;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.SourceTraits;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A checked {@code from:} section of a {@code generate} connection.
 *
 * @param topic    the topic of every record, and the name of the source's one partition
 * @param count    the sequence number of the last record (records are numbered from 1), or empty for no end
 * @param rate     records per second, or empty for as fast as the pipeline takes them
 * @param keys     how many distinct keys the records cycle through: {@code key-1} .. {@code key-N}
 * @param payload  what each record carries
 */
record GenerateOptions(String topic, OptionalLong count, OptionalDouble rate, int keys, PayloadTemplate payload)
        implements SectionOptions {
    static final String DEFAULT_TOPIC = "generated";
    static final int DEFAULT_KEYS = 10;

    GenerateOptions {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(count, "count");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(payload, "payload");
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be at least 1, not " + keys);
        }
    }

    /** The key of the record with sequence number {@code seq}: the keys follow each other in turn. */
    String key(long seq) {
        return "key-" + ((seq - 1) % keys + 1);
    }

    @Override
    public String describe() {
        return "generate:" + topic;
    }

    /** A generate source's position is the record's sequence number, 0 before the first. */
    @Override
    public Position position(String partition, String offset) {
        return Connector.sequencePosition(partition, offset, "a generate sequence number");
    }

    /** Keyed records of one topic, numbered. */
    @Override
    public SourceTraits sourceTraits() {
        return new SourceTraits(true, false, true, false, Optional.empty());
    }
}
