package io.msgbridge.builtin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The payload of a generated record: a text in which {@code {seq}} stands for the record's sequence number
 * and {@code {key}} for its key, rendered as UTF-8, then padded with spaces or cut to {@code size} bytes
 * when a size is given. Every other character is literal, braces of JSON included.
 *
 * @param text the template as written
 * @param size the exact length of every payload in bytes, or empty for the rendered text's own length
 */
record PayloadTemplate(String text, OptionalInt size) {
    /** The payload when none is configured: JSON that {@code key: json:/key} can read. */
    static final String DEFAULT_TEXT = "{\"seq\":{seq},\"key\":\"{key}\"}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9_-]*)}");
    private static final List<String> NAMES = List.of("seq", "key");

    PayloadTemplate {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(size, "size");
    }

    /** What is wrong with {@code text}: a {@code {word}} that is not a placeholder, most likely a typo. */
    static Optional<String> problem(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        List<String> unknown = new ArrayList<>();
        while (m.find()) {
            if (!NAMES.contains(m.group(1))) {
                unknown.add(m.group());
            }
        }
        return unknown.isEmpty() ? Optional.empty()
                : Optional.of("unknown placeholder " + String.join(", ", unknown) + ": the placeholders are {seq} and {key}");
    }

    byte[] render(long seq, String key) {
        byte[] rendered = text.replace("{seq}", Long.toString(seq)).replace("{key}", key).getBytes(StandardCharsets.UTF_8);
        if (size.isEmpty() || rendered.length == size.getAsInt()) {
            return rendered;
        }
        byte[] sized = Arrays.copyOf(rendered, size.getAsInt());
        if (rendered.length < sized.length) {
            Arrays.fill(sized, rendered.length, sized.length, (byte) ' ');
        }
        return sized;
    }
}
