package io.msgbridge.backend;

import java.time.Duration;

/** Durations as config writes them, for messages and logs: {@code 30s}, {@code 1500ms}, {@code 2h}. */
public final class DurationText {
    private DurationText() {
    }

    /** {@code d} in the largest unit that writes it exactly, e.g. {@code 30s}, {@code 1500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0 || ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
