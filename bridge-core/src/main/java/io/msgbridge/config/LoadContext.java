package io.msgbridge.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What every {@link MappingNode} of one load shares: the problems, the substitution, the nodes made. */
final class LoadContext {
    private final Problems problems;
    private final Substitution substitution;
    private final Path baseDir;
    private final List<MappingNode> nodes = new ArrayList<>();

    LoadContext(Problems problems, Substitution substitution, Path baseDir) {
        this.problems = problems;
        this.substitution = substitution;
        this.baseDir = baseDir;
    }

    Problems problems() {
        return problems;
    }

    Substitution substitution() {
        return substitution;
    }

    /** The config file's directory, against which relative paths are resolved. */
    Path baseDir() {
        return baseDir;
    }

    void register(MappingNode node) {
        nodes.add(node);
    }

    /** Once everything was read: reports, in every mapping, the keys nobody asked for. */
    void reportUnknownKeys() {
        List.copyOf(nodes).forEach(MappingNode::reportUnknownKeys);
    }
}
