package io.msgbridge.offsets;

import java.util.regex.Pattern;

/**
 * The schema holding the store's tables: a validated name, and the quoted table names to put in SQL.
 * Only plain lower-case names are accepted, so what an operator types is what {@code psql} shows.
 */
final class PostgresSchema {
    static final String DEFAULT = "bridge";
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String name;

    static final String RULE = "must be 1 to 63 lower-case letters, digits or _, starting with a letter or _,"
            + " not starting with pg_";

    PostgresSchema(String name) {
        String chosen = name == null || name.isEmpty() ? DEFAULT : name;
        if (!valid(chosen)) {
            throw new IllegalArgumentException("offsets schema \"" + chosen + "\" is not a valid name: " + RULE);
        }
        this.name = chosen;
    }

    static boolean valid(String name) {
        return NAME.matcher(name).matches() && !name.startsWith("pg_");
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
