package io.msgbridge.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes in bytes as written in config: a whole number and an optional unit B, KiB, MiB, GiB
 * (1024-based) or KB, MB, GB (1000-based), such as {@code 64MiB}.
 */
public final class Sizes {
    static final String RULE = "must be a size: a whole number of bytes with an optional unit "
            + "B, KiB, MiB, GiB, KB, MB or GB, such as 64MiB";
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,19}) ?(B|KiB|MiB|GiB|KB|MB|GB)?");
    private static final Map<String, Long> UNITS = Map.of(
            "B", 1L, "KiB", 1L << 10, "MiB", 1L << 20, "GiB", 1L << 30,
            "KB", 1_000L, "MB", 1_000_000L, "GB", 1_000_000_000L);

    private Sizes() {
    }

    static Parsed<Long> parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            return Parsed.invalid(RULE);
        }
        long unit = m.group(2) == null ? 1 : UNITS.get(m.group(2));
        try {
            return Parsed.ok(Math.multiplyExact(Long.parseLong(m.group(1)), unit));
        } catch (ArithmeticException | NumberFormatException e) {
            return Parsed.invalid(RULE + ", and not so large");
        }
    }

    /** A size of at least {@code min} bytes. */
    static Parsed<Long> parse(String text, long min) {
        Parsed<Long> parsed = parse(text);
        if (parsed instanceof Parsed.Ok<Long>(Long bytes) && bytes < min) {
            return Parsed.invalid("must be at least " + format(min));
        }
        return parsed;
    }

    /** {@code bytes} in the largest binary unit that writes it exactly, e.g. {@code 1KiB}, {@code 1500B}. */
    public static String format(long bytes) {
        for (String unit : new String[] {"GiB", "MiB", "KiB"}) {
            long size = UNITS.get(unit);
            if (bytes != 0 && bytes % size == 0) {
                return bytes / size + unit;
            }
        }
        return bytes + "B";
    }
}
