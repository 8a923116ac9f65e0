package io.msgbridge.deadletter;

import io.msgbridge.spi.Message;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which dead letters an operator command selects: those of one pipeline, optionally last failed at or
 * after {@code since}, of one key, and whose error class or message contains {@code error} (ignoring case).
 */
public record DeadLetterFilter(String pipeline, Optional<Instant> since, Optional<String> key, Optional<String> error) {
    public DeadLetterFilter {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(error, "error");
    }

    /** Every dead letter of {@code pipeline}. */
    public static DeadLetterFilter all(String pipeline) {
        return new DeadLetterFilter(pipeline, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Whether any filter beyond the pipeline is set. */
    public boolean narrowed() {
        return since.isPresent() || key.isPresent() || error.isPresent();
    }

    public boolean matches(Message message, DeadLetter deadLetter) {
        if (!deadLetter.pipeline().equals(pipeline)) {
            return false;
        }
        if (since.isPresent() && (deadLetter.lastFailedAt() == null || deadLetter.lastFailedAt().isBefore(since.get()))) {
            return false;
        }
        if (key.isPresent() && !key.get().equals(message.key())) {
            return false;
        }
        if (error.isPresent()) {
            String wanted = error.get().toLowerCase(Locale.ROOT);
            return deadLetter.errorClass().toLowerCase(Locale.ROOT).contains(wanted)
                    || deadLetter.errorMessage().toLowerCase(Locale.ROOT).contains(wanted);
        }
        return true;
    }

    /** For names and messages, e.g. {@code key=k1 error=too large}. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        since.ifPresent(s -> text.append(" since=").append(s));
        key.ifPresent(k -> text.append(" key=").append(k));
        error.ifPresent(e -> text.append(" error=").append(e));
        return text.isEmpty() ? "all" : text.substring(1);
    }
}
