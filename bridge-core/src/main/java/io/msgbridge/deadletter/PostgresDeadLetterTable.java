package io.msgbridge.deadletter;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.msgbridge.config.OffsetsConfig;
import io.msgbridge.config.PostgresNames;

import java.time.Duration;

/**
 * A dead-letter table in the offset store's PostgreSQL schema: its name, its DDL, its SQL and how to
 * open a small pool on it. One row per dead-lettered record; the {@code bridge.error.*} headers are
 * columns, the record's other headers a {@code jsonb} array of {@code {"name","value"}} objects, the
 * payload {@code bytea}. {@code record_id} (the runtime's deterministic id for the dead-letter publish)
 * is unique, so a record dead-lettered again after a crash is not stored twice.
 */
public final class PostgresDeadLetterTable {
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private final OffsetsConfig.Postgres database;
    private final String table;

    /**
     * @throws IllegalArgumentException when the name breaks {@link PostgresNames#RULE}
     */
    public PostgresDeadLetterTable(OffsetsConfig.Postgres database, String table) {
        if (PostgresNames.problem(table).isPresent()) {
            throw new IllegalArgumentException("dead-letter table \"" + table + "\" is not a valid name: " + PostgresNames.RULE);
        }
        this.database = database;
        this.table = table;
    }

    String schema() {
        return database.schema() == null || database.schema().isEmpty() ? "bridge" : database.schema();
    }

    /** The qualified, quoted name for SQL. */
    String qualified() {
        return '"' + schema() + "\".\"" + table + '"';
    }

    /** For logs, status and positions: {@code postgres:SCHEMA.TABLE}. No secrets. */
    public String describe() {
        return "postgres:" + schema() + "." + table;
    }

    String createSchema() {
        return "CREATE SCHEMA IF NOT EXISTS \"" + schema() + '"';
    }

    String createTable() {
        return "CREATE TABLE IF NOT EXISTS " + qualified() + " ("
                + "id bigserial PRIMARY KEY, "
                + "record_id text NOT NULL UNIQUE, "
                + "dead_lettered_at timestamptz NOT NULL DEFAULT now(), "
                + "pipeline text NOT NULL, "
                + "source text NOT NULL, "
                + "topic text NOT NULL, "
                + "source_partition text NOT NULL, "
                + "source_position text NOT NULL, "
                + "stage text NOT NULL, "
                + "error_class text NOT NULL, "
                + "error_message text NOT NULL, "
                + "attempts integer NOT NULL, "
                + "replays integer NOT NULL DEFAULT 0, "
                + "first_failed_at timestamptz, "
                + "last_failed_at timestamptz, "
                + "record_key text, "
                + "event_time timestamptz, "
                + "headers jsonb NOT NULL, "
                + "payload bytea NOT NULL)";
    }

    String insert() {
        return "INSERT INTO " + qualified() + " (record_id, pipeline, source, topic, source_partition, source_position, "
                + "stage, error_class, error_message, attempts, replays, first_failed_at, last_failed_at, record_key, "
                + "event_time, headers, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) "
                + "ON CONFLICT (record_id) DO NOTHING";
    }

    String selectAfter() {
        return "SELECT id, pipeline, source, topic, source_partition, source_position, stage, error_class, "
                + "error_message, attempts, replays, first_failed_at, last_failed_at, record_key, event_time, "
                + "headers::text, payload FROM " + qualified() + " WHERE id > ? AND id <= ? ORDER BY id LIMIT ?";
    }

    String selectMaxId() {
        return "SELECT coalesce(max(id), 0) FROM " + qualified();
    }

    /** A pool of at most {@code size} connections, connecting lazily (an outage fails calls, not creation). */
    HikariDataSource pool(String name, int size) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setJdbcUrl(database.url());
        hikari.setUsername(database.user());
        if (database.password() != null) {
            hikari.setPassword(database.password().reveal());
        }
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(0);
        hikari.setAutoCommit(false);
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        hikari.setInitializationFailTimeout(-1);
        hikari.addDataSourceProperty("connectTimeout", String.valueOf(CONNECTION_TIMEOUT.toSeconds()));
        hikari.addDataSourceProperty("socketTimeout", "30");
        hikari.addDataSourceProperty("ApplicationName", "msgbridge dead letters");
        return new HikariDataSource(hikari);
    }

    /** The database URL for messages, with any password in it masked. */
    String url() {
        return database.url().replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    /** Tables compare by database and name, so that a reload sees an unchanged dead-letter table as unchanged. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PostgresDeadLetterTable other && database.equals(other.database) && table.equals(other.table);
    }

    @Override
    public int hashCode() {
        return 31 * database.hashCode() + table.hashCode();
    }
}
