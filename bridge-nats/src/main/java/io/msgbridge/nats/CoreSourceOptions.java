package io.msgbridge.nats;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A core NATS source ({@code subject:} or {@code subjects:}, wildcards allowed).
 *
 * @param subjects   the subjects to subscribe to, at least one
 * @param queueGroup the queue group to join, so that several daemons share the messages
 */
public record CoreSourceOptions(List<String> subjects, Optional<String> queueGroup) implements NatsSourceOptions {
    public CoreSourceOptions {
        subjects = List.copyOf(subjects);
        if (subjects.isEmpty()) {
            throw new IllegalArgumentException("at least one subject");
        }
        Objects.requireNonNull(queueGroup, "queueGroup");
    }

    /** The partition of every record: the subscribed subject patterns, comma-joined. */
    public String partition() {
        return String.join(",", subjects);
    }

    @Override
    public String describe() {
        return "nats:" + partition();
    }
}
