package io.msgbridge.config;

import java.util.List;
import java.util.Optional;

/**
 * The YAML file as a small tree that keeps the location of every key and value. Every scalar is kept
 * as the text written in the file; the getters of {@link MappingNode} convert it.
 */
sealed interface YamlNode {

    /** Where the value starts. */
    Location at();

    /** Which kind of value this is, for problem messages ("a mapping", "a list", "a value"). */
    String kind();

    /** A single value; {@code isNull} for {@code key:}, {@code ~} and {@code null}. */
    record Scalar(String text, boolean isNull, Location at) implements YamlNode {
        @Override
        public String kind() {
            return "a single value";
        }
    }

    /** A list. */
    record Sequence(List<YamlNode> items, Location at) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A mapping; keys are unique (the reader reports and drops duplicates). */
    record Mapping(List<Entry> entries, Location at) implements YamlNode {
        public Mapping {
            entries = List.copyOf(entries);
        }

        static Mapping empty(Location at) {
            return new Mapping(List.of(), at);
        }

        Optional<Entry> entry(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).findFirst();
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** One {@code key: value} of a mapping. */
    record Entry(String key, Location keyAt, YamlNode value) {
    }
}
