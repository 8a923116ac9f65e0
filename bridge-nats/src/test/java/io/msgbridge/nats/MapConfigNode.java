package io.msgbridge.nats;

import io.msgbridge.config.ConfigNode;
import io.msgbridge.config.Secret;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link ConfigNode} over a map, for testing config reading until the YAML loader exists. Problems
 * go to a shared list as {@code path.key: message}. Durations: {@code 500ms}, {@code 2s}, {@code 5m}.
 */
final class MapConfigNode implements ConfigNode {
    private final String path;
    private final Map<String, Object> values;
    private final List<String> problems;

    MapConfigNode(String path, Map<String, Object> values, List<String> problems) {
        this.path = path;
        this.values = new LinkedHashMap<>(values);
        this.problems = problems;
    }

    static MapConfigNode of(String path, Map<String, Object> values) {
        return new MapConfigNode(path, values, new ArrayList<>());
    }

    List<String> problems() {
        return problems;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public boolean has(String key) {
        return values.containsKey(key);
    }

    @Override
    public Optional<String> string(String key) {
        Object v = values.get(key);
        return v == null ? Optional.empty() : Optional.of(v.toString());
    }

    @Override
    public String string(String key, String def) {
        return string(key).orElse(def);
    }

    @Override
    public String requiredString(String key) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            problem(key, "is required");
        }
        return v.orElse("");
    }

    @Override
    public String oneOf(String key, Set<String> allowed, String def) {
        Optional<String> v = string(key);
        if (v.isPresent() && !allowed.contains(v.get())) {
            problem(key, "must be one of " + allowed);
            return def;
        }
        return v.orElse(def);
    }

    @Override
    public <E extends Enum<E>> E choice(String key, Class<E> type, E def) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return def;
        }
        try {
            return Enum.valueOf(type, v.get().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            problem(key, "invalid value \"" + v.get() + "\"");
            return def;
        }
    }

    @Override
    public int integer(String key, int def, int min, int max) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return def;
        }
        int i = Integer.parseInt(v.get());
        if (i < min || i > max) {
            problem(key, "must be in [" + min + ", " + max + "]");
            return def;
        }
        return i;
    }

    @Override
    public boolean bool(String key, boolean def) {
        return string(key).map(Boolean::parseBoolean).orElse(def);
    }

    @Override
    public Duration duration(String key, Duration def, Duration min) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return def;
        }
        String s = v.get();
        Duration d;
        if (s.endsWith("ms")) {
            d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        } else if (s.endsWith("s")) {
            d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
        } else if (s.endsWith("m")) {
            d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
        } else {
            d = Duration.ofSeconds(Long.parseLong(s));
        }
        if (d.compareTo(min) < 0) {
            problem(key, "must be at least " + min);
            return def;
        }
        return d;
    }

    @Override
    public long size(String key, long def, long min) {
        return string(key).map(Long::parseLong).orElse(def);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> strings(String key) {
        Object v = values.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> list) {
            return ((List<Object>) list).stream().map(Object::toString).toList();
        }
        return List.of(v.toString());
    }

    @Override
    public Optional<Secret> secret(String key) {
        return string(key).map(Secret::new);
    }

    @Override
    public Optional<Path> file(String key) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        Path p = Path.of(v.get());
        if (!Files.isReadable(p)) {
            problem(key, "file not readable: " + p);
            return Optional.empty();
        }
        return Optional.of(p);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<ConfigNode> child(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(new MapConfigNode(path + "." + key, (Map<String, Object>) v, problems));
    }

    @Override
    public List<ConfigNode> children(String key) {
        return List.of();
    }

    @Override
    public Set<String> keys() {
        return new LinkedHashSet<>(values.keySet());
    }

    @Override
    public void problem(String key, String message) {
        problems.add(path + "." + key + ": " + message);
    }

    @Override
    public void problem(String message) {
        problems.add(path + ": " + message);
    }
}
