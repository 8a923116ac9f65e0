package io.msgbridge.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads YAML text into a {@link YamlNode} tree with the location of every key and value, using
 * jackson-dataformat-yaml's streaming parser. A syntax error is reported as one problem and gives no
 * tree. Duplicate keys and a second document are problems too. Anchors and aliases are resolved.
 */
final class YamlReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final YAMLParser parser;
    private final Problems problems;
    private final Map<String, YamlNode> anchors = new HashMap<>();
    private String path = "";

    private YamlReader(YAMLParser parser, Problems problems) {
        this.parser = parser;
        this.problems = problems;
    }

    /** The tree of {@code text}; empty after a syntax error (reported to {@code problems}). */
    static Optional<YamlNode> read(String text, Problems problems) {
        try (YAMLParser parser = FACTORY.createParser(text)) {
            return new YamlReader(parser, problems).document();
        } catch (IOException e) {
            throw new UncheckedIOException("closing a parser over a string", e);
        }
    }

    private Optional<YamlNode> document() {
        try {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return Optional.of(YamlNode.Mapping.empty(Location.START));
            }
            YamlNode root = value(first);
            if (parser.nextToken() != null) {
                problems.add(location(), Problems.TOP,
                        "a second YAML document is not allowed: a config file holds exactly one document");
            }
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            problems.add(where(e), path, "invalid YAML: " + describe(e));
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading YAML from a string", e);
        }
    }

    private YamlNode value(JsonToken token) throws IOException {
        Location at = location();
        String anchor = parser.getObjectId();
        YamlNode node = switch (token) {
            case START_OBJECT -> mapping(at);
            case START_ARRAY -> sequence(at);
            case VALUE_NULL -> new YamlNode.Scalar("", true, at);
            default -> parser.isCurrentAlias() ? alias(parser.getText(), at)
                    : new YamlNode.Scalar(parser.getText(), false, at);
        };
        if (anchor != null && !parser.isCurrentAlias()) {
            anchors.put(anchor, node);
        }
        return node;
    }

    private YamlNode alias(String name, Location at) {
        YamlNode target = anchors.get(name);
        if (target == null) {
            problems.add(at, path, "unknown alias \"*" + name + "\": no anchor \"&" + name + "\" before it");
            return new YamlNode.Scalar("", true, at);
        }
        return target;
    }

    private YamlNode mapping(Location at) throws IOException {
        String mappingPath = path;
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Location keyAt = location();
            path = ConfigPaths.child(mappingPath, key);
            YamlNode.Entry entry = new YamlNode.Entry(key, keyAt, value(parser.nextToken()));
            YamlNode.Entry first = entries.putIfAbsent(key, entry);
            if (first != null) {
                problems.add(keyAt, path, "duplicate key \"" + key + "\": already given at line "
                        + first.keyAt().line() + "; each key may appear once");
            }
            path = mappingPath;
        }
        return new YamlNode.Mapping(new ArrayList<>(entries.values()), at);
    }

    private YamlNode sequence(Location at) throws IOException {
        String sequencePath = path;
        List<YamlNode> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
            path = ConfigPaths.item(sequencePath, items.size());
            items.add(value(token));
            path = sequencePath;
        }
        return new YamlNode.Sequence(items, at);
    }

    private Location location() {
        return location(parser.currentTokenLocation());
    }

    private static Location location(JsonLocation l) {
        return l == null || l.getLineNr() < 1 ? Location.UNKNOWN : new Location(l.getLineNr(), Math.max(l.getColumnNr(), 0));
    }

    /**
     * Where a syntax error is: where SnakeYAML found it, except for a value that is never closed (the
     * end of the file), which is reported where it opens.
     */
    private static Location where(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked) {
            Mark mark = unclosed(marked) ? marked.getContextMark() : marked.getProblemMark();
            if (mark != null) {
                return new Location(mark.getLine() + 1, mark.getColumn() + 1);
            }
        }
        return location(e.getLocation());
    }

    private static boolean unclosed(MarkedYAMLException e) {
        return e.getContextMark() != null && e.getProblem() != null && e.getProblem().contains("end of stream")
                && e.getContext() != null && e.getContext().contains("quoted scalar");
    }

    /** SnakeYAML's problem and context, without the snippet of the file (which could hold a secret). */
    private static String describe(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null) {
            if (unclosed(marked)) {
                return "this quoted value is never closed: add the closing quote";
            }
            String fix = marked.getProblem().contains("\\t(TAB)") ? "; indent with spaces" : "";
            if (marked.getContext() == null) {
                return marked.getProblem() + fix;
            }
            String where = marked.getContextMark() == null ? ""
                    : " started at line " + (marked.getContextMark().getLine() + 1)
                    + ", column " + (marked.getContextMark().getColumn() + 1);
            return marked.getProblem() + " (" + marked.getContext() + where + ")" + fix;
        }
        String message = e.getOriginalMessage();
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
