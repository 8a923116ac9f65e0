package io.msgbridge.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL that the system tests and the bench keep offsets in: {@code 127.0.0.1:5432}, database
 * {@code test}, user {@code postgres} with trust auth ({@code bin/services} starts it). The system
 * properties {@code msgbridge.pg.url} and {@code msgbridge.pg.user} point them at another one. Each test
 * or bench run works in a schema of its own and drops it afterwards.
 */
public final class Postgres {
    public static final String URL = System.getProperty("msgbridge.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getProperty("msgbridge.pg.user", "postgres");

    private Postgres() {
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, USER, null);
    }

    /**
     * The stream sequence that {@code pipeline} committed in {@code schema}'s offsets table; 0 when it has
     * committed none, also while the table does not exist yet, so that a test can wait for it.
     */
    public static long committed(String schema, String pipeline) {
        try (Connection db = connect(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT sequence FROM " + schema + ".offsets WHERE pipeline = '" + pipeline + "'")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return 0;
        }
    }

    public static void dropSchema(String schema) throws SQLException {
        try (Connection db = connect(); Statement st = db.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** Drops every schema whose name starts with {@code prefix}: those of runs that were interrupted. */
    public static void dropSchemasStartingWith(String prefix) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection db = connect(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, '" + prefix + "')")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        for (String name : names) {
            dropSchema(name);
        }
    }

    /**
     * {@code pg_stat_database.xact_commit} of the database: the transactions it has committed so far; -1
     * when PostgreSQL cannot be read, for a sampler that must not stop over it.
     */
    public static long transactionsCommitted() {
        try (Connection db = connect(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }
}
