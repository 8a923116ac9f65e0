package io.msgbridge.config;

import io.msgbridge.spi.Connector;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code connections:} section: each named connection read by the {@link Connector} of its
 * {@code type:}, and the pipeline sections that name a connection handed to its spec. A connection
 * whose section has problems still checks the pipeline sections naming it, so that {@code validate}
 * reports their problems in the same run, but gives them no spec. Only a connection of an unknown
 * {@code type:} leaves them unread: nobody knows their keys.
 */
final class Connections {
    private final Problems problems;
    private final Map<String, Connector> connectors = new TreeMap<>();
    private final Map<String, Optional<Connector.ConnectionSpec>> specs = new LinkedHashMap<>();
    private final Set<String> invalid = new HashSet<>();

    Connections(Collection<Connector> connectors, Problems problems) {
        this.problems = problems;
        connectors.forEach(c -> this.connectors.putIfAbsent(c.type(), c));
    }

    /** Reads every connection of {@code section}, in file order. */
    void read(Optional<MappingNode> section) {
        section.ifPresent(s -> s.keys().forEach(name ->
                specs.put(name, s.mapping(name).flatMap(node -> connect(name, node)))));
    }

    /** Reads a pipeline's {@code from:} section with its connection's spec. */
    Optional<Connector.SourceSpec> source(MappingNode from) {
        return read(from, spec -> spec.source(from));
    }

    /** Reads a pipeline's {@code to:} or {@code dead-letter:} section with its connection's spec. */
    Optional<Connector.SinkSpec> sink(MappingNode to) {
        return read(to, spec -> spec.sink(to));
    }

    private <T> Optional<T> read(MappingNode section, Function<Connector.ConnectionSpec, T> reader) {
        Optional<String> name = section.required("connection", this::defined);
        Optional<Connector.ConnectionSpec> spec = name.flatMap(specs::get);
        if (spec.isEmpty()) {
            section.ignoreUnknownKeys();
            return Optional.empty();
        }
        if (invalid.contains(name.get())) {
            checkOnly(section, () -> reader.apply(spec.get()));
            return Optional.empty();
        }
        return call(section, () -> reader.apply(spec.get()));
    }

    /**
     * Reads a section with the spec of a connection that has problems, for the section's own problems.
     * A connector may fail on the placeholders of its broken connection; that is no bug to report.
     */
    private static void checkOnly(MappingNode section, Runnable read) {
        try {
            read.run();
        } catch (RuntimeException e) {
            section.ignoreUnknownKeys();
        }
    }

    private Optional<Connector.ConnectionSpec> connect(String name, MappingNode node) {
        Optional<Connector> connector = node.required("type", this::connector);
        if (connector.isEmpty()) {
            node.ignoreUnknownKeys();
            return Optional.empty();
        }
        int before = problems.count();
        Optional<Connector.ConnectionSpec> spec = call(node, () -> connector.get().connection(name, node));
        if (problems.count() != before) {
            invalid.add(name);
        }
        return spec;
    }

    private Parsed<Connector> connector(String type) {
        Connector connector = connectors.get(type);
        return connector != null ? Parsed.ok(connector)
                : Parsed.rejected("unknown type", "; available: " + Conversions.list(connectors.keySet()));
    }

    private Parsed<String> defined(String name) {
        return specs.containsKey(name) ? Parsed.ok(name)
                : Parsed.rejected("unknown connection", "; defined: " + Conversions.list(specs.keySet()));
    }

    /** Calls a connector; one that throws or returns null is a problem about the section, not a crash. */
    private static <T> Optional<T> call(MappingNode section, Supplier<T> read) {
        try {
            T result = read.get();
            if (result == null) {
                section.problem("the connector gave nothing for this section (a bug in the connector)");
            }
            return Optional.ofNullable(result);
        } catch (RuntimeException e) {
            section.problem("the connector failed on this section with " + e.getClass().getName()
                    + " (a bug in the connector)");
            section.ignoreUnknownKeys();
            return Optional.empty();
        }
    }
}
