package io.msgbridge.backend;

import io.msgbridge.spi.ConfigNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the topics (or subjects) of a pipeline's {@code from:} and {@code to:} sections the same way for
 * every backend: the keys, which of them go together, and the texts of the problems. What a valid name is
 * stays the backend's: a {@code rule} gives why a name is not valid (what the broker accepts), or null
 * when it is. Problems are reported through the {@link ConfigNode}; what is returned then may hold a
 * placeholder and is not used.
 */
public final class TopicConfig {
    /** The destination a sink's options hold when its section gives none; such options are never used. */
    private static final String PLACEHOLDER = "invalid";

    private TopicConfig() {
    }

    /**
     * The names of a section given as one ({@code topic: a}) or as a list ({@code topics: [a, b]}), not
     * both; an invalid one is reported under the key that holds it as {@code invalid NOUN "NAME": WHY}.
     * Empty when neither key is there: whether that is allowed is the caller's to say.
     */
    public static List<String> names(ConfigNode node, String singular, String plural, String noun, Function<String, String> rule) {
        List<String> one = node.strings(singular);
        List<String> many = node.strings(plural);
        if (!one.isEmpty() && node.has(plural)) {
            node.problem(plural, "give " + singular + " or " + plural + ", not both");
        }
        check(node, singular, noun, one, rule);
        check(node, plural, noun, many, rule);
        List<String> names = new ArrayList<>(one);
        names.addAll(many);
        return names;
    }

    private static void check(ConfigNode node, String key, String noun, List<String> names, Function<String, String> rule) {
        for (String name : names) {
            String problem = rule.apply(name);
            if (problem != null) {
                node.problem(key, "invalid " + noun + " \"" + name + "\": " + problem);
            }
        }
    }

    /** A rule for {@link #names}: a name must not be empty nor hold white space; the broker checks the rest. */
    public static String noWhiteSpace(String name) {
        return name.isBlank() || name.chars().anyMatch(Character::isWhitespace) ? "must not be empty or contain white space" : null;
    }

    /**
     * What a source reads: named topics, or the topics that match a pattern.
     *
     * @param topics  the named topics; empty with a pattern
     * @param pattern the regex a topic's whole name matches, when the topics are not named
     */
    public record Topics(List<String> topics, Optional<Pattern> pattern) {
        public Topics {
            topics = List.copyOf(topics);
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    /** A {@code from:} section's {@code topic}, {@code topics} or {@code topics-pattern}: exactly one of them. */
    public static Topics topicsOrPattern(ConfigNode from, Function<String, String> rule) {
        List<String> topics = names(from, "topic", "topics", "topic", rule);
        Optional<Pattern> pattern = from.regex("topics-pattern");
        if (topics.isEmpty() && !from.has("topics-pattern")) {
            from.problem("one of topic, topics or topics-pattern is required");
        } else if (!topics.isEmpty() && from.has("topics-pattern")) {
            from.problem("topics-pattern", "give topics or topics-pattern, not both");
        }
        return new Topics(topics, pattern);
    }

    /**
     * A {@code to:} section's required destination under {@code key} ({@code topic}, {@code subject}) as
     * {@code template} makes it; one the backend cannot publish to is reported as
     * {@code invalid KEY "VALUE": WHY}.
     */
    public static DestinationTemplate destination(ConfigNode to, String key, Function<String, DestinationTemplate> template) {
        String value = to.requiredString(key);
        DestinationTemplate destination = template.apply(value.isEmpty() ? PLACEHOLDER : value);
        check(to, key, value, destination);
        return destination;
    }

    /**
     * A {@code to:} section's required {@code topic}, a template with {@code {topic}} and {@code {name}},
     * and its optional {@code rewrite:} of the source topic ({@code pattern}, {@code replacement}), which
     * only a template can use.
     */
    public static DestinationTemplate topicWithRewrite(ConfigNode to, DestinationTemplate.Names names) {
        String topic = to.requiredString("topic");
        Optional<DestinationTemplate.Rewrite> rewrite = to.child("rewrite").flatMap(TopicConfig::rewrite);
        DestinationTemplate template = DestinationTemplate.of(topic.isEmpty() ? PLACEHOLDER : topic, rewrite, names);
        check(to, "topic", topic, template);
        if (rewrite.isPresent() && template.fixed()) {
            to.problem("rewrite", "applies only to a topic template with {topic} or {name}");
        }
        return template;
    }

    private static void check(ConfigNode to, String key, String value, DestinationTemplate template) {
        if (!value.isEmpty() && template.problem() != null) {
            to.problem(key, "invalid " + key + " \"" + value + "\": " + template.problem());
        }
    }

    private static Optional<DestinationTemplate.Rewrite> rewrite(ConfigNode node) {
        String regex = node.requiredString("pattern");
        String replacement = node.requiredString("replacement");
        if (regex.isEmpty()) {
            return Optional.empty();
        }
        return node.regex("pattern").map(p -> new DestinationTemplate.Rewrite(p, replacement));
    }
}
