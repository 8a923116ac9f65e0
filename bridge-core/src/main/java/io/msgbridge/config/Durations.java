package io.msgbridge.config;

import io.msgbridge.backend.DurationText;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in config: a whole number and a unit ms, s, m, h or d ({@code 500ms}, {@code 2m}). */
public final class Durations {
    static final String RULE = "must be a duration: a whole number and a unit ms, s, m, h or d, such as 500ms or 2m";
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,15})(ms|s|m|h|d)");

    private Durations() {
    }

    static Parsed<Duration> parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            return Parsed.invalid(RULE);
        }
        try {
            return Parsed.ok(Duration.of(Long.parseLong(m.group(1)), unit(m.group(2))));
        } catch (ArithmeticException e) {
            return Parsed.invalid(RULE + ", and not so large");
        }
    }

    /** A duration of at least {@code min}. */
    static Parsed<Duration> parse(String text, Duration min) {
        Parsed<Duration> parsed = parse(text);
        if (parsed instanceof Parsed.Ok<Duration>(Duration d) && d.compareTo(min) < 0) {
            return Parsed.invalid("must be at least " + DurationText.format(min));
        }
        return parsed;
    }

    private static ChronoUnit unit(String unit) {
        return switch (unit) {
            case "ms" -> ChronoUnit.MILLIS;
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
    }
}
