package io.msgbridge.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The offset store's PostgreSQL as the orchestrator sees it: commit counters and per-run schemas. */
final class Postgres {
    static final String URL = System.getProperty("bench.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getProperty("bench.pg.user", "postgres");

    private Postgres() {
    }

    /** pg_stat_database.xact_commit of the database; -1 when PostgreSQL cannot be read. */
    static long transactionsCommitted() {
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select xact_commit from pg_stat_database where datname = current_database()")) {
            return r.next() ? r.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Drops the schemas of runs that were interrupted ({@code bench_*}). Never throws. */
    static void dropLeftoverSchemas() {
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select nspname from pg_namespace where nspname like 'bench\\_%'")) {
            java.util.List<String> names = new java.util.ArrayList<>();
            while (r.next()) {
                names.add(r.getString(1));
            }
            names.forEach(Postgres::dropSchema);
        } catch (SQLException e) {
            System.err.println("bench: could not list leftover schemas: " + e.getMessage());
        }
    }

    /** Drops a run's schema. Never throws. */
    static void dropSchema(String schema) {
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + schema + " cascade");
        } catch (SQLException e) {
            System.err.println("bench: could not drop schema " + schema + ": " + e.getMessage());
        }
    }
}
