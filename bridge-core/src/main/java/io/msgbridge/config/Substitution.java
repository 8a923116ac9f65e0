package io.msgbridge.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Expands {@code ${VAR}}, {@code ${VAR:-default}} (default when VAR is unset or empty) and
 * {@code ${file:PATH}} (PATH relative to the config file's directory, one trailing newline stripped)
 * in a scalar value; <code>$${</code> is a literal <code>${</code>. Values are expanded once: what a variable
 * or file holds is not expanded again.
 */
final class Substitution {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String FILE = "file:";

    private final Function<String, String> env;
    private final Path baseDir;

    Substitution(Function<String, String> env, Path baseDir) {
        this.env = env;
        this.baseDir = baseDir;
    }

    /**
     * The expanded value.
     *
     * @param value    the value with every expression replaced (meaningless when there are errors)
     * @param fromFile whether part of it came from {@code ${file:...}}: such a value is never echoed
     * @param errors   what could not be expanded; never holds a value
     */
    record Expanded(String value, boolean fromFile, List<String> errors) {
        Expanded {
            errors = List.copyOf(errors);
        }
    }

    Expanded expand(String text) {
        StringBuilder out = new StringBuilder(text.length());
        List<String> errors = new ArrayList<>();
        boolean fromFile = false;
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    errors.add("unterminated \"${\": close it with \"}\", or write \"$${\" for a literal \"${\"");
                    break;
                }
                String expression = text.substring(i + 2, end);
                fromFile |= expression.startsWith(FILE);
                out.append(resolve(expression, errors));
                i = end + 1;
            } else {
                out.append(text.charAt(i++));
            }
        }
        return new Expanded(out.toString(), fromFile, errors);
    }

    private String resolve(String expression, List<String> errors) {
        if (expression.startsWith(FILE)) {
            return readFile(expression.substring(FILE.length()), errors);
        }
        int dash = expression.indexOf(":-");
        String name = dash < 0 ? expression : expression.substring(0, dash);
        if (!NAME.matcher(name).matches()) {
            errors.add("invalid variable name \"" + name + "\" in \"${" + expression
                    + "}\": use letters, digits and _, not starting with a digit; or ${file:PATH}");
            return "";
        }
        String value = env.apply(name);
        if (dash >= 0) {
            return value == null || value.isEmpty() ? expression.substring(dash + 2) : value;
        }
        if (value == null) {
            errors.add("undefined variable \"" + name + "\": set it in the environment, or give a default as ${"
                    + name + ":-DEFAULT}");
            return "";
        }
        return value;
    }

    private String readFile(String name, List<String> errors) {
        if (name.isEmpty()) {
            errors.add("empty path in \"${file:}\": write ${file:PATH}, PATH relative to the config file's directory");
            return "";
        }
        Path path = baseDir.resolve(name).normalize();
        String reference = "${file:" + name + "}";
        if (!Files.exists(path)) {
            errors.add("cannot read " + reference + ": no such file " + path);
            return "";
        }
        if (!Files.isRegularFile(path)) {
            errors.add("cannot read " + reference + ": " + path + " is not a regular file");
            return "";
        }
        try {
            return stripOneNewline(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            errors.add("cannot read " + reference + ": " + path + " (" + e.getClass().getSimpleName() + ")");
            return "";
        }
    }

    private static String stripOneNewline(String content) {
        if (content.endsWith("\r\n")) {
            return content.substring(0, content.length() - 2);
        }
        return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    }
}
