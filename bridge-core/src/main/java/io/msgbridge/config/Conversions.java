package io.msgbridge.config;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.SequencedCollection;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The conversions of scalar text that have no unit: integers, booleans, choices. */
final class Conversions {
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,18}");

    private Conversions() {
    }

    static Parsed<Integer> integer(String text, int min, int max) {
        String rule = "must be an integer in " + min + ".." + max;
        if (!INTEGER.matcher(text).matches()) {
            return Parsed.invalid(rule);
        }
        long value = Long.parseLong(text);
        return value < min || value > max ? Parsed.invalid(rule) : Parsed.ok((int) value);
    }

    static Parsed<Boolean> bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> Parsed.ok(true);
            case "false" -> Parsed.ok(false);
            default -> Parsed.invalid("must be true or false");
        };
    }

    static Parsed<String> oneOf(String text, Collection<String> allowed) {
        return allowed.contains(text) ? Parsed.ok(text) : Parsed.invalid("must be one of " + list(allowed));
    }

    /** An enum constant written in lower case with dashes or underscores ({@code key-shared}, {@code key_shared}). */
    static <E extends Enum<E>> Parsed<E> choice(String text, Class<E> type) {
        String wanted = text.replace('_', '-');
        return Arrays.stream(type.getEnumConstants())
                .filter(e -> spelling(e).equals(wanted))
                .findFirst()
                .<Parsed<E>>map(Parsed::ok)
                .orElseGet(() -> Parsed.invalid("must be one of "
                        + Arrays.stream(type.getEnumConstants()).map(Conversions::spelling)
                        .collect(Collectors.joining(", "))));
    }

    /** The values, comma-separated: in their own order when they have one, otherwise sorted. */
    static String list(Collection<String> values) {
        if (values.isEmpty()) {
            return "(none)";
        }
        return values instanceof SequencedCollection<String>
                ? String.join(", ", values)
                : values.stream().sorted().collect(Collectors.joining(", "));
    }

    private static String spelling(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
