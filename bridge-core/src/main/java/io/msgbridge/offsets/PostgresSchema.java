package io.msgbridge.offsets;

import io.msgbridge.config.PostgresNames;

/**
 * The schema holding the store's tables: a validated name, and the quoted table names to put in SQL.
 * Only plain lower-case names are accepted, so what an operator types is what {@code psql} shows.
 */
final class PostgresSchema {
    static final String DEFAULT = "bridge";

    private final String name;

    PostgresSchema(String name) {
        String chosen = name == null || name.isEmpty() ? DEFAULT : name;
        if (PostgresNames.problem(chosen).isPresent()) {
            throw new IllegalArgumentException("offsets schema \"" + chosen + "\" is not a valid name: " + PostgresNames.RULE);
        }
        this.name = chosen;
    }

    String name() {
        return name;
    }

    /** The schema as an SQL identifier, quoted. */
    String quoted() {
        return '"' + name + '"';
    }

    /** A table of the schema, qualified and quoted. */
    String table(String table) {
        return quoted() + ".\"" + table + '"';
    }

    @Override
    public String toString() {
        return name;
    }
}
