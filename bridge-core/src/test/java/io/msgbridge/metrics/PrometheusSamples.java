package io.msgbridge.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus text exposition, keyed {@code name{label="value",...}} with labels sorted by
 * name, so a test can look a series up whatever order the writer put its labels in.
 */
public final class PrometheusSamples {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    private final Map<String, Double> samples = new LinkedHashMap<>();
    private final Map<String, List<Map<String, String>>> seriesLabels = new LinkedHashMap<>();
    private final String text;

    private PrometheusSamples(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new AssertionError("not a Prometheus sample line: " + line + "\nin:\n" + text);
            }
            Map<String, String> labels = labels(sample.group(2));
            samples.put(key(sample.group(1), labels), Double.parseDouble(sample.group(3)));
            seriesLabels.computeIfAbsent(sample.group(1), name -> new ArrayList<>()).add(labels);
        }
    }

    /** Parses {@code text}; fails on a line that is neither a comment nor a sample. */
    public static PrometheusSamples parse(String text) {
        return new PrometheusSamples(text);
    }

    /**
     * The value of one series.
     *
     * @param labels label names and values, alternating
     * @throws AssertionError naming the series and the whole text if it is absent
     */
    public double value(String name, String... labels) {
        Map<String, String> wanted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        String key = key(name, wanted);
        Double value = samples.get(key);
        if (value == null) {
            throw new AssertionError("no series " + key + " in:\n" + text);
        }
        return value;
    }

    /** Whether any series of the metric {@code name} carries {@code label="value"}. */
    public boolean hasSeries(String name, String label, String value) {
        String needle = label + "=\"" + value + "\"";
        return samples.keySet().stream().anyMatch(k -> k.startsWith(name + "{") && k.contains(needle));
    }

    /** The sample names, {@code bridge_records_in_total} and {@code bridge_commit_latency_seconds_count} alike. */
    public Set<String> names() {
        return seriesLabels.keySet();
    }

    /** The label sets of every series named {@code name}; empty when there is none. */
    public List<Map<String, String>> labelSets(String name) {
        return seriesLabels.getOrDefault(name, List.of());
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new TreeMap<>();
        if (text != null) {
            Matcher label = LABEL.matcher(text);
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
        }
        return labels;
    }

    private static String key(String name, Map<String, String> labels) {
        StringBuilder key = new StringBuilder(name).append('{');
        labels.forEach((k, v) -> key.append(k).append("=\"").append(v).append("\","));
        return key.append('}').toString();
    }
}
