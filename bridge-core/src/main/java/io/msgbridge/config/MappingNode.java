package io.msgbridge.config;

import io.msgbridge.spi.ConfigNode;
import io.msgbridge.spi.Secret;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@link ConfigNode} over one YAML mapping. Each getter substitutes, converts and checks a value,
 * reports what is wrong to the shared {@link Problems} and returns the default. Remembers which keys
 * were asked for, so that the others can be reported as unknown once loading is done.
 */
final class MappingNode implements ConfigNode {
    private static final String HIDDEN = "(read from a file, not shown)";

    private final LoadContext context;
    private final String path;
    private final YamlNode.Mapping mapping;
    private final Set<String> known = new LinkedHashSet<>();
    private final Map<String, Optional<MappingNode>> children = new HashMap<>();
    private final Map<String, List<MappingNode>> lists = new HashMap<>();
    private boolean checkKeys = true;

    MappingNode(LoadContext context, String path, YamlNode.Mapping mapping) {
        this.context = context;
        this.path = path;
        this.mapping = mapping;
        context.register(this);
    }

    /** A scalar after substitution, and how it may be shown in a problem. */
    private record Text(String value, String echo) {
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public boolean has(String key) {
        return entry(key).isPresent();
    }

    @Override
    public Optional<String> string(String key) {
        return text(key).map(Text::value);
    }

    @Override
    public String string(String key, String def) {
        return string(key).orElse(def);
    }

    @Override
    public String requiredString(String key) {
        return required(key, s -> s.isBlank() ? Parsed.invalid("must not be empty") : Parsed.ok(s)).orElse("");
    }

    @Override
    public String oneOf(String key, Set<String> allowed, String def) {
        return value(key, s -> Conversions.oneOf(s, allowed)).orElse(def);
    }

    @Override
    public <E extends Enum<E>> E choice(String key, Class<E> type, E def) {
        return value(key, s -> Conversions.choice(s, type)).orElse(def);
    }

    @Override
    public int integer(String key, int def, int min, int max) {
        return value(key, s -> Conversions.integer(s, min, max)).orElse(def);
    }

    @Override
    public boolean bool(String key, boolean def) {
        return value(key, Conversions::bool).orElse(def);
    }

    @Override
    public Duration duration(String key, Duration def, Duration min) {
        return value(key, s -> Durations.parse(s, min)).orElse(def);
    }

    @Override
    public long size(String key, long def, long min) {
        return value(key, s -> Sizes.parse(s, min)).orElse(def);
    }

    @Override
    public List<String> strings(String key) {
        Optional<YamlNode.Entry> entry = entry(key);
        if (entry.isEmpty()) {
            return List.of();
        }
        String at = ConfigPaths.child(path, key);
        return switch (entry.get().value()) {
            case YamlNode.Scalar s when s.isNull() -> List.of();
            case YamlNode.Scalar s -> text(s, at).map(t -> List.of(t.value())).orElse(List.of());
            case YamlNode.Sequence seq -> {
                List<String> values = new ArrayList<>();
                for (int i = 0; i < seq.items().size(); i++) {
                    text(seq.items().get(i), ConfigPaths.item(at, i)).ifPresent(t -> values.add(t.value()));
                }
                yield List.copyOf(values);
            }
            case YamlNode.Mapping m -> {
                report(m.at(), at, "must be a list of values, or a single value, not a mapping");
                yield List.of();
            }
        };
    }

    @Override
    public Optional<Secret> secret(String key) {
        return text(key).map(t -> new Secret(t.value()));
    }

    @Override
    public Optional<Path> file(String key) {
        return value(key, MappingNode.this::readableFile);
    }

    @Override
    public Optional<ConfigNode> child(String key) {
        return mapping(key).map(ConfigNode.class::cast);
    }

    @Override
    public List<ConfigNode> children(String key) {
        return List.copyOf(mappings(key));
    }

    @Override
    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        mapping.entries().forEach(e -> keys.add(e.key()));
        return Collections.unmodifiableSet(keys);
    }

    @Override
    public void problem(String key, String message) {
        Location at = entry(key).map(e -> e.value().at()).orElse(mapping.at());
        report(at, ConfigPaths.child(path, key), message);
    }

    @Override
    public void problem(String message) {
        report(mapping.at(), path, message);
    }

    /**
     * Records a lint warning about {@code key}, dotted for a key of a nested mapping
     * ({@code create-stream.duplicate-window}): at its value, or at the nearest mapping present.
     */
    void warning(String key, String message) {
        int dot = key.indexOf('.');
        if (dot > 0 && mapping.entry(key.substring(0, dot)).isPresent()) {
            Optional<MappingNode> child = mapping(key.substring(0, dot));
            if (child.isPresent()) {
                child.get().warning(key.substring(dot + 1), message);
                return;
            }
        }
        Location at = mapping.entry(key).map(e -> e.value().at()).orElse(mapping.at());
        context.problems().warn(at, ConfigPaths.child(path, key), message);
    }

    /** {@link #child} as the concrete node. */
    Optional<MappingNode> mapping(String key) {
        known.add(key);
        return children.computeIfAbsent(key, this::makeChild);
    }

    /** {@link #children} as concrete nodes. */
    List<MappingNode> mappings(String key) {
        known.add(key);
        return lists.computeIfAbsent(key, this::makeChildren);
    }

    /** Where this mapping starts. */
    Location at() {
        return mapping.at();
    }

    /** Skips the unknown-key check, for a section that could not be read (e.g. its {@code type:} is unknown). */
    void ignoreUnknownKeys() {
        checkKeys = false;
    }

    void reportUnknownKeys() {
        if (!checkKeys) {
            return;
        }
        for (YamlNode.Entry e : mapping.entries()) {
            if (!known.contains(e.key())) {
                report(e.keyAt(), ConfigPaths.child(path, e.key()), UnknownKeys.message(e.key(), known));
            }
        }
    }

    /** The value of {@code key} converted by {@code convert}; empty when absent or wrong (then reported). */
    <T> Optional<T> value(String key, Function<String, Parsed<T>> convert) {
        return text(key).flatMap(t -> switch (convert.apply(t.value())) {
            case Parsed.Ok<T>(T value) -> Optional.of(value);
            case Parsed.Invalid<T> invalid -> {
                problem(key, invalid.message(t.echo()));
                yield Optional.<T>empty();
            }
        });
    }

    /** Like {@link #value} but a missing key is a problem too. */
    <T> Optional<T> required(String key, Function<String, Parsed<T>> convert) {
        if (entry(key).isEmpty()) {
            problem(key, "is required but missing");
            return Optional.empty();
        }
        return value(key, convert);
    }

    private Optional<YamlNode.Entry> entry(String key) {
        known.add(key);
        return mapping.entry(key);
    }

    private Optional<Text> text(String key) {
        return entry(key).flatMap(e -> text(e.value(), ConfigPaths.child(path, key)));
    }

    private Optional<Text> text(YamlNode node, String at) {
        if (!(node instanceof YamlNode.Scalar scalar)) {
            report(node.at(), at, "must be a single value, not " + node.kind());
            return Optional.empty();
        }
        Substitution.Expanded expanded = context.substitution().expand(scalar.text());
        if (!expanded.errors().isEmpty()) {
            expanded.errors().forEach(message -> report(scalar.at(), at, message));
            return Optional.empty();
        }
        String echo = expanded.fromFile() ? HIDDEN : quote(expanded.value());
        return Optional.of(new Text(expanded.value(), echo));
    }

    private Parsed<Path> readableFile(String name) {
        Path file = context.baseDir().resolve(name).normalize();
        if (!name.isEmpty() && Files.isRegularFile(file) && Files.isReadable(file)) {
            return Parsed.ok(file);
        }
        return Parsed.invalid("must be a readable file (relative paths start at the config file's directory); "
                + file + " is not one");
    }

    private Optional<MappingNode> makeChild(String key) {
        Optional<YamlNode.Entry> entry = mapping.entry(key);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        String at = ConfigPaths.child(path, key);
        return switch (entry.get().value()) {
            case YamlNode.Mapping m -> Optional.of(new MappingNode(context, at, m));
            case YamlNode.Scalar s when s.isNull() -> Optional.of(new MappingNode(context, at, YamlNode.Mapping.empty(s.at())));
            case YamlNode value -> {
                report(value.at(), at, "must be a mapping (key: value), not " + value.kind());
                yield Optional.empty();
            }
        };
    }

    private List<MappingNode> makeChildren(String key) {
        Optional<YamlNode.Entry> entry = mapping.entry(key);
        if (entry.isEmpty()) {
            return List.of();
        }
        String at = ConfigPaths.child(path, key);
        return switch (entry.get().value()) {
            case YamlNode.Sequence seq -> {
                List<MappingNode> nodes = new ArrayList<>();
                for (int i = 0; i < seq.items().size(); i++) {
                    YamlNode item = seq.items().get(i);
                    if (item instanceof YamlNode.Mapping m) {
                        nodes.add(new MappingNode(context, ConfigPaths.item(at, i), m));
                    } else {
                        report(item.at(), ConfigPaths.item(at, i), "must be a mapping (key: value), not " + item.kind());
                    }
                }
                yield List.copyOf(nodes);
            }
            case YamlNode.Scalar s when s.isNull() -> List.of();
            case YamlNode value -> {
                report(value.at(), at, "must be a list of mappings (- key: value), not " + value.kind());
                yield List.of();
            }
        };
    }

    private void report(Location at, String atPath, String message) {
        context.problems().add(at, atPath, message);
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
