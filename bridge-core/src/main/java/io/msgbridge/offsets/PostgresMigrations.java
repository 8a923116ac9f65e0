package io.msgbridge.offsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates the schema and brings it to the latest version, inside the caller's transaction. A
 * transaction-scoped advisory lock serialises daemons that start together; the {@code schema_version}
 * table records each migration applied. A schema newer than this code knows is refused.
 */
final class PostgresMigrations {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresMigrations.class);

    /** One step of the schema's history; {@code statements} use {@code %1$s} for the quoted schema. */
    record Migration(int version, String description, List<String> statements) {
    }

    static final List<Migration> ALL = List.of(
            new Migration(1, "offsets and leases", List.of(
                    """
                    create table %1$s."offsets" (
                        pipeline text not null,
                        partition text not null,
                        position text not null,
                        sequence bigint,
                        records bigint not null default 0,
                        committed_at timestamptz not null,
                        primary key (pipeline, partition))""",
                    """
                    create table %1$s."leases" (
                        pipeline text primary key,
                        owner text,
                        epoch bigint not null,
                        expires_at timestamptz not null)""")),
            new Migration(2, "parked keys", List.of(
                    """
                    create table %1$s."parked_keys" (
                        pipeline text not null,
                        key text not null,
                        primary key (pipeline, key))""")),
            new Migration(3, "shared claims", List.of(
                    "alter table %1$s.\"leases\" add column member text not null default ''",
                    "alter table %1$s.\"leases\" drop constraint leases_pkey",
                    "alter table %1$s.\"leases\" add primary key (pipeline, member)")));

    static final int LATEST = ALL.getLast().version();

    private final PostgresSchema schema;

    PostgresMigrations(PostgresSchema schema) {
        this.schema = schema;
    }

    /** Migrates within the connection's open transaction; the caller commits. */
    void migrate(Connection connection, String store) throws SQLException, OffsetStoreException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "msgbridge.migrate." + schema.name());
            lock.execute();
        }
        if (!exists(connection, "select 1 from pg_namespace where nspname = ?")) {
            execute(connection, "create schema " + schema.quoted());
        }
        if (!exists(connection, "select 1 from pg_tables where schemaname = ? and tablename = 'schema_version'")) {
            execute(connection, "create table " + schema.table("schema_version")
                    + " (version integer primary key, description text not null,"
                    + " applied_at timestamptz not null default now())");
        }
        int current = currentVersion(connection);
        if (current > LATEST) {
            throw new OffsetStoreException(store + ": schema " + schema + " is at version " + current
                    + " but this msgbridge knows versions up to " + LATEST + "; upgrade msgbridge", false, null);
        }
        for (Migration migration : ALL) {
            if (migration.version() > current) {
                apply(connection, migration);
            }
        }
    }

    private void apply(Connection connection, Migration migration) throws SQLException {
        for (String statement : migration.statements()) {
            execute(connection, statement.formatted(schema.quoted()));
        }
        try (PreparedStatement insert = connection.prepareStatement("insert into " + schema.table("schema_version")
                + " (version, description) values (?, ?)")) {
            insert.setInt(1, migration.version());
            insert.setString(2, migration.description());
            insert.executeUpdate();
        }
        LOG.info("offsets schema {} migrated to version {} ({})", schema, migration.version(), migration.description());
    }

    private int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("select coalesce(max(version), 0) from "
                     + schema.table("schema_version"))) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private boolean exists(Connection connection, String sql) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, schema.name());
            try (ResultSet rs = query.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
