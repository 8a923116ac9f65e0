package io.msgbridge.system.deadletter;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The machine's PostgreSQL (trust auth, database {@code test}): committed positions, schema cleanup. */
final class Postgres {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private Postgres() {
    }

    /** The committed stream sequence of {@code pipeline} in {@code schema}, 0 when none. */
    static long committed(String schema, String pipeline) {
        try (Connection db = DriverManager.getConnection(URL, "postgres", null);
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT sequence FROM " + schema + ".offsets WHERE pipeline = '" + pipeline + "'")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return 0;
        }
    }

    static void dropSchema(String schema) throws SQLException {
        try (Connection db = DriverManager.getConnection(URL, "postgres", null); Statement st = db.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
