package io.msgbridge.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for the names the daemon gives its PostgreSQL schema and tables: only plain lower-case
 * names, so what an operator types is what {@code psql} shows, and no {@code pg_} prefix (reserved
 * for the system's).
 */
public final class PostgresNames {
    /** The rule, as config problems say it. */
    public static final String RULE = "must be 1 to 63 lower-case letters, digits or _, starting with a letter or _,"
            + " not starting with pg_";
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private PostgresNames() {
    }

    /** Why {@code name} cannot be a schema or table name, or empty when it can. */
    public static Optional<String> problem(String name) {
        return NAME.matcher(name).matches() && !name.startsWith("pg_") ? Optional.empty() : Optional.of(RULE);
    }
}
