package io.msgbridge.config;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the problems of one config file, and the lint's warnings (see {@link Lint}); the same one
 * reported twice is kept once.
 */
final class Problems {
    /** The path printed for problems about the file as a whole. */
    static final String TOP = "(top level)";

    private final String file;
    private final Set<Problem> problems = new LinkedHashSet<>();
    private final Set<Problem> warnings = new LinkedHashSet<>();

    Problems(String file) {
        this.file = file;
    }

    /** A problem at {@code at}; an empty path is the top level, or, at {@link Location#UNKNOWN}, the file. */
    void add(Location at, String path, String message) {
        String shown = path.isEmpty() && !at.equals(Location.UNKNOWN) ? TOP : path;
        problems.add(new Problem(file, at.line(), at.column(), shown, message));
    }

    /** A warning: the file is valid, but likely not what its author meant. */
    void warn(Location at, String path, String message) {
        warnings.add(new Problem(file, at.line(), at.column(), path.isEmpty() ? TOP : path, message));
    }

    int count() {
        return problems.size();
    }

    /** All problems, by line then column, otherwise in the order they were found. */
    List<Problem> sorted() {
        return sorted(problems);
    }

    /** All warnings, by line then column. */
    List<Problem> sortedWarnings() {
        return sorted(warnings);
    }

    private static List<Problem> sorted(Set<Problem> found) {
        return found.stream()
                .sorted(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column))
                .toList();
    }
}
