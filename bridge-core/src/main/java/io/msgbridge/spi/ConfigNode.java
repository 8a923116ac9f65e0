package io.msgbridge.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One mapping of the YAML config, as backends and the core read it. Every getter checks the value
 * and, when it is wrong or missing, records a problem (file:line:column, the YAML path, the bad value
 * and what is allowed) and returns the default (or an empty/neutral value) so that reading goes on and
 * every problem of a file is reported at once. A key that is read through this interface is known;
 * after reading, any key of the mapping that nobody asked for is reported as unknown, with the list of
 * the known ones. Values have had {@code ${VAR}}, {@code ${VAR:-default}} and {@code ${file:PATH}}
 * substituted already. Not thread-safe: used only while loading.
 */
public interface ConfigNode {

    /** The YAML path of this mapping, e.g. {@code pipelines[0].from}. */
    String path();

    /** Whether the key is present (marks it known). */
    boolean has(String key);

    /** A string value, or empty when absent. */
    Optional<String> string(String key);

    /** A string value, or {@code def} when absent. */
    String string(String key, String def);

    /** A required string value; a missing one is a problem (returns ""). */
    String requiredString(String key);

    /** A string value that must be one of {@code allowed}; returns {@code def} when absent. */
    String oneOf(String key, Set<String> allowed, String def);

    /** An enum value written in lower case with dashes ({@code key_shared} or {@code key-shared}). */
    <E extends Enum<E>> E choice(String key, Class<E> type, E def);

    /** An integer in [min, max], or {@code def} when absent. */
    int integer(String key, int def, int min, int max);

    /** A boolean, or {@code def} when absent. */
    boolean bool(String key, boolean def);

    /** A duration such as {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}; at least {@code min}. */
    Duration duration(String key, Duration def, Duration min);

    /** A size in bytes such as {@code 512}, {@code 64KiB}, {@code 1MiB}, {@code 2GiB}; at least {@code min}. */
    long size(String key, long def, long min);

    /** A list of strings; a single scalar counts as a list of one. Empty when absent. */
    List<String> strings(String key);

    /** A regular expression, or empty when absent; one that does not compile is a problem (returns empty). */
    default Optional<Pattern> regex(String key) {
        return string(key).flatMap(regex -> {
            try {
                return Optional.of(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                problem(key, "invalid regular expression \"" + regex + "\": " + e.getDescription());
                return Optional.empty();
            }
        });
    }

    /** A secret (password, token): never echoed in problems or logs. */
    Optional<Secret> secret(String key);

    /** A path to a readable file; a missing or unreadable file is a problem. */
    Optional<Path> file(String key);

    /** A nested mapping, or empty when absent (a non-mapping value is a problem). */
    Optional<ConfigNode> child(String key);

    /** A list of mappings, or empty when absent. */
    List<ConfigNode> children(String key);

    /** The keys present in this mapping, in file order. Does not mark them known. */
    Set<String> keys();

    /** Records a problem about {@code key} (at its location, or this mapping's when absent). */
    void problem(String key, String message);

    /** Records a problem about this mapping as a whole. */
    void problem(String message);
}
