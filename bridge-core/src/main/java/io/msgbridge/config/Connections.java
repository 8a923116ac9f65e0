package io.msgbridge.config;

import io.msgbridge.spi.Connector;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The {@code connections:} section: each named connection read by the {@link Connector} of its
 * {@code type:}, and the pipeline sections that name a connection handed to its spec. A connection
 * whose section has problems gives no spec; the pipeline sections naming it are then not read (their
 * problems show once the connection is fixed).
 */
final class Connections {
    private final Problems problems;
    private final Map<String, Connector> connectors = new TreeMap<>();
    private final Map<String, Optional<Connector.ConnectionSpec>> specs = new LinkedHashMap<>();

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
        return resolve(from).flatMap(spec -> call(from, () -> spec.source(from)));
    }

    /** Reads a pipeline's {@code to:} or {@code dead-letter:} section with its connection's spec. */
    Optional<Connector.SinkSpec> sink(MappingNode to) {
        return resolve(to).flatMap(spec -> call(to, () -> spec.sink(to)));
    }

    private Optional<Connector.ConnectionSpec> connect(String name, MappingNode node) {
        Optional<Connector> connector = node.required("type", this::connector);
        if (connector.isEmpty()) {
            node.ignoreUnknownKeys();
            return Optional.empty();
        }
        int before = problems.count();
        Optional<Connector.ConnectionSpec> spec = call(node, () -> connector.get().connection(name, node));
        return problems.count() == before ? spec : Optional.empty();
    }

    private Parsed<Connector> connector(String type) {
        Connector connector = connectors.get(type);
        return connector != null ? Parsed.ok(connector)
                : Parsed.rejected("unknown type", "; available: " + Conversions.list(connectors.keySet()));
    }

    private Optional<Connector.ConnectionSpec> resolve(MappingNode section) {
        Optional<Connector.ConnectionSpec> spec = section.required("connection", this::defined).flatMap(specs::get);
        if (spec.isEmpty()) {
            section.ignoreUnknownKeys();
        }
        return spec;
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
