package io.msgbridge.daemon;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code --since}: an ISO-8601 instant, or an age such as {@code 30m} meaning that long ago. */
final class SinceOption {
    private static final Pattern AGE = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private SinceOption() {
    }

    /**
     * Empty after printing the problem; otherwise the instant, or an empty optional inside when
     * {@code text} is null.
     */
    static Optional<Optional<Instant>> parse(String text, PrintWriter err) {
        if (text == null) {
            return Optional.of(Optional.empty());
        }
        Matcher age = AGE.matcher(text);
        if (age.matches()) {
            long n = Long.parseLong(age.group(1));
            Duration d = switch (age.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return Optional.of(Optional.of(Instant.now().minus(d)));
        }
        try {
            return Optional.of(Optional.of(Instant.parse(text)));
        } catch (DateTimeParseException e) {
            err.println("--since: invalid value \"" + text + "\": must be an instant such as 2026-11-23T10:00:00Z or an age such as 30m, 2h, 1d");
            return Optional.empty();
        }
    }
}
