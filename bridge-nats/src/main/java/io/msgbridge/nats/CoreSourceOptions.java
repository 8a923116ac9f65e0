package io.msgbridge.nats;

import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.SourceTraits;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A core NATS source ({@code subject:} or {@code subjects:}, wildcards allowed).
 *
 * @param subjects   the subjects to subscribe to, at least one
 * @param queueGroup the queue group to join, so that several daemons share the messages
 * @param buffer     the most messages held for the pipeline while it is busy (a burst beyond this is
 *                   dropped, counted and logged: core NATS cannot slow the publisher down). A setting
 *                   of its own, apart from {@code max-in-flight}: the in-flight bound is best kept small
 *                   for throughput, while this buffer is what absorbs a publisher's bursts.
 */
public record CoreSourceOptions(List<String> subjects, Optional<String> queueGroup, int buffer) implements NatsSourceOptions {
    public static final int DEFAULT_BUFFER = 10_000;

    public CoreSourceOptions {
        subjects = List.copyOf(subjects);
        if (subjects.isEmpty()) {
            throw new IllegalArgumentException("at least one subject");
        }
        Objects.requireNonNull(queueGroup, "queueGroup");
        if (buffer < 1) {
            throw new IllegalArgumentException("buffer must be at least 1");
        }
    }

    /** The partition of every record: the subscribed subject patterns, comma-joined. */
    public String partition() {
        return String.join(",", subjects);
    }

    @Override
    public String describe() {
        return "nats:" + partition();
    }

    /**
     * At most once, without sequences; one subject without wildcards gives every record the same
     * subject; a queue group shares the messages with the group's other members.
     */
    @Override
    public SourceTraits sourceTraits() {
        boolean manySubjects = subjects.size() > 1 || subjects.stream().anyMatch(NatsSubjects::hasWildcard);
        return new SourceTraits(true, manySubjects, false, true,
                queueGroup.map(group -> new SourceTraits.Sharing("queue-group", false)));
    }

    /** Core NATS keeps nothing to resume from: its positions are a per-run counter, for status only. */
    @Override
    public Position position(String partition, String offset) {
        throw new IllegalArgumentException("core NATS cannot resume from a position: it keeps no messages; "
                + "its positions are a per-run counter, for status only");
    }
}
