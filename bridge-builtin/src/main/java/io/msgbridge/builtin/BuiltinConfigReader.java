package io.msgbridge.builtin;

import io.msgbridge.spi.ConfigNode;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The one place where {@code generate} and {@code stdout} sections become typed options. Every problem is
 * reported through the {@link ConfigNode}, never thrown; with problems the returned options hold neutral
 * placeholders and are not used.
 */
final class BuiltinConfigReader {
    private static final Pattern WHOLE = Pattern.compile("\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");
    /** The most a payload may be: a record this large is already far beyond what any broker here takes by default. */
    static final long MAX_PAYLOAD_SIZE = 64L << 20;

    private BuiltinConfigReader() {
    }

    /** Reads a pipeline's {@code from:} section of a {@code generate} connection. */
    static GenerateOptions generate(ConfigNode from) {
        String topic = from.string("topic", GenerateOptions.DEFAULT_TOPIC);
        if (topic.isBlank()) {
            from.problem("topic", "must not be empty");
        }
        OptionalLong count = count(from);
        OptionalDouble rate = rate(from);
        int keys = from.integer("keys", GenerateOptions.DEFAULT_KEYS, 1, 1_000_000);
        String text = from.string("payload", PayloadTemplate.DEFAULT_TEXT);
        PayloadTemplate.problem(text).ifPresent(problem -> from.problem("payload", "invalid value \"" + text + "\": " + problem));
        OptionalInt size = OptionalInt.empty();
        if (from.has("payload-size")) {
            long bytes = from.size("payload-size", 0, 0);
            if (bytes > MAX_PAYLOAD_SIZE) {
                from.problem("payload-size", "invalid value \"" + from.string("payload-size", "") + "\": must be at most 64MiB");
            } else {
                size = OptionalInt.of((int) bytes);
            }
        }
        return new GenerateOptions(topic, count, rate, keys, new PayloadTemplate(text, size));
    }

    private static OptionalLong count(ConfigNode from) {
        Optional<String> text = from.string("count");
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        if (WHOLE.matcher(text.get()).matches() && Long.parseLong(text.get()) >= 1) {
            return OptionalLong.of(Long.parseLong(text.get()));
        }
        from.problem("count", "invalid value \"" + text.get() + "\": must be a whole number of records, at least 1 "
                + "(leave count out for records without end)");
        return OptionalLong.empty();
    }

    private static OptionalDouble rate(ConfigNode from) {
        Optional<String> text = from.string("rate");
        if (text.isEmpty()) {
            return OptionalDouble.empty();
        }
        if (DECIMAL.matcher(text.get()).matches() && Double.parseDouble(text.get()) > 0) {
            return OptionalDouble.of(Double.parseDouble(text.get()));
        }
        from.problem("rate", "invalid value \"" + text.get() + "\": must be a number of records per second above 0, "
                + "such as 100 or 0.5 (leave rate out for as fast as the pipeline takes them)");
        return OptionalDouble.empty();
    }

    /** Reads a pipeline's {@code to:} or {@code dead-letter:} section of a {@code stdout} connection. */
    static StdoutOptions stdout(ConfigNode to) {
        return new StdoutOptions(to.choice("format", StdoutOptions.Format.class, StdoutOptions.Format.TEXT));
    }
}
