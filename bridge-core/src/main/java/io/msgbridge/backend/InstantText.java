package io.msgbridge.backend;

import java.time.Instant;

/**
 * The text of an instant exactly as {@link Instant#toString()} gives it (ISO-8601, UTC, the fraction in
 * groups of three digits), for time headers that backends write on every message (NATS's event time,
 * Pulsar's publish time). {@code Instant.toString} goes through a {@code DateTimeFormatter} each time,
 * which showed in the NATS sink's profile (docs/benchmarks.md); here the date and time of day are
 * formatted once per second and only the fraction per call. Thread-safe: the cache is one immutable
 * value, replaced whole.
 */
public final class InstantText {
    private record Second(long epochSecond, String text) {
    }

    private volatile Second last = new Second(Long.MIN_VALUE, "");

    /** {@code instant.toString()}, faster when consecutive calls fall in the same second. */
    public String of(Instant instant) {
        Second second = last;
        if (second.epochSecond() != instant.getEpochSecond()) {
            String whole = Instant.ofEpochSecond(instant.getEpochSecond()).toString();
            second = new Second(instant.getEpochSecond(), whole.substring(0, whole.length() - 1));
            last = second;
        }
        int nano = instant.getNano();
        if (nano == 0) {
            return second.text() + 'Z';
        }
        int digits;
        int fraction;
        if (nano % 1_000_000 == 0) {
            digits = 3;
            fraction = nano / 1_000_000;
        } else if (nano % 1_000 == 0) {
            digits = 6;
            fraction = nano / 1_000;
        } else {
            digits = 9;
            fraction = nano;
        }
        String value = Integer.toString(fraction);
        StringBuilder text = new StringBuilder(second.text().length() + digits + 2).append(second.text()).append('.');
        text.repeat('0', digits - value.length());
        return text.append(value).append('Z').toString();
    }
}
