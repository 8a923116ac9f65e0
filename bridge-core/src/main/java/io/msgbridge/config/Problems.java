package io.msgbridge.config;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects the problems of one config file; the same problem reported twice is kept once. */
final class Problems {
    /** The path printed for problems about the file as a whole. */
    static final String TOP = "(top level)";

    private final String file;
    private final Set<Problem> problems = new LinkedHashSet<>();

    Problems(String file) {
        this.file = file;
    }

    /** A problem at {@code at}; an empty path is the top level, or, at {@link Location#UNKNOWN}, the file. */
    void add(Location at, String path, String message) {
        String shown = path.isEmpty() && !at.equals(Location.UNKNOWN) ? TOP : path;
        problems.add(new Problem(file, at.line(), at.column(), shown, message));
    }

    int count() {
        return problems.size();
    }

    /** All problems, by line then column, otherwise in the order they were found. */
    List<Problem> sorted() {
        return problems.stream()
                .sorted(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column))
                .toList();
    }
}
