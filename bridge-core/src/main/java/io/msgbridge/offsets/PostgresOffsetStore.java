package io.msgbridge.offsets;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.msgbridge.config.OffsetsConfig;
import io.msgbridge.spi.Position;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store for several daemons sharing one PostgreSQL (HikariCP + pgjdbc).
 *
 * <p>{@link #open()} creates the schema ({@code bridge} unless configured) and migrates it (see
 * {@link PostgresMigrations}); the pool connects lazily, so an outage makes {@code open()} fail
 * retriably and a later call succeeds once the database is back. Every operation is one transaction.
 *
 * <p>Claims are leases with a fencing epoch in {@code leases}: a claim takes a lease that is absent,
 * expired or already this owner's (the owner is the daemon's {@link InstanceId}, so a daemon restarted
 * after a crash takes its own lease over at once), incrementing the epoch; a commit first checks
 * (under a row lock) that the lease still carries its epoch, then renews it and upserts the
 * partitions. Lease times are the database's clock, so daemons on hosts with skewed clocks still
 * agree; a refused claim says how long the lease has left by that clock. A pipeline claimed for one
 * daemon has one lease row ({@code member} empty); claimed shared, each owner has its own row
 * ({@code member} is the owner) and commits only move positions forward. Claims of one pipeline are
 * serialised by a transaction-scoped advisory lock, so two daemons cannot take it in both modes at once.
 *
 * <p>Failures name the store by its URL, never with the password: an outage is a retriable
 * {@link OffsetStoreException} ({@code PostgreSQL jdbc:postgresql://host:5432/db unreachable: ...}).
 */
public final class PostgresOffsetStore implements OffsetStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresOffsetStore.class);
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    private static final String POOL_NAME = "msgbridge-offsets";
    /** The lease row of a pipeline claimed for one daemon alone; a shared claim's row is its owner's. */
    private static final String EXCLUSIVE = "";

    private final OffsetsConfig.Postgres config;
    private final Duration leaseTtl;
    private final Duration connectionTimeout;
    private final PostgresSchema schema;
    private final PostgresFailures failures;
    private final PostgresMigrations migrations;
    private final ReentrantLock lifecycle = new ReentrantLock();
    private volatile HikariDataSource dataSource;
    private volatile boolean migrated;

    /**
     * A store on the configured database; nothing connects before {@link #open()}.
     *
     * @throws IllegalArgumentException when the schema name or pool size is not valid
     */
    public PostgresOffsetStore(OffsetsConfig.Postgres config, Duration leaseTtl) {
        this(config, leaseTtl, CONNECTION_TIMEOUT);
    }

    PostgresOffsetStore(OffsetsConfig.Postgres config, Duration leaseTtl, Duration connectionTimeout) {
        this.config = Objects.requireNonNull(config, "config");
        this.leaseTtl = Objects.requireNonNull(leaseTtl, "leaseTtl");
        this.connectionTimeout = connectionTimeout;
        if (config.poolSize() < 1) {
            throw new IllegalArgumentException("offsets pool size " + config.poolSize() + " is not valid: must be at least 1");
        }
        this.schema = new PostgresSchema(config.schema());
        this.failures = new PostgresFailures(config.url(), config.password());
        this.migrations = new PostgresMigrations(schema);
    }

    /** The store's name in messages: {@code PostgreSQL <url>}, any password in the URL masked. */
    public String describe() {
        return failures.store() + " (schema " + schema + ")";
    }

    @Override
    public void open() throws OffsetStoreException {
        lifecycle.lock();
        try {
            if (migrated) {
                return;
            }
            if (dataSource == null) {
                dataSource = new HikariDataSource(poolConfig());
            }
            inTransaction("migrate schema " + schema, connection -> {
                migrations.migrate(connection, failures.store());
                return null;
            });
            migrated = true;
        } finally {
            lifecycle.unlock();
        }
    }

    @Override
    public Claim claim(String pipeline, String owner, boolean shared) throws OffsetStoreException {
        return inOpenTransaction("claim pipeline " + pipeline, connection -> {
            try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "msgbridge.claim." + schema.name() + "." + pipeline);
                lock.execute();
            }
            String member = shared ? owner : EXCLUSIVE;
            Optional<Lease> other = otherMode(connection, pipeline, owner, shared);
            if (other.isPresent()) {
                Lease held = other.get();
                throw Refusals.claimedBy(pipeline, held.owner() + (shared ? "" : " (with others, mode: group)"),
                        held.epoch(), held.expiresAt(), held.remaining());
            }
            Optional<Lease> before = lease(connection, pipeline, member, false);
            try (PreparedStatement upsert = connection.prepareStatement("insert into " + leases() + " as l"
                    + " (pipeline, member, owner, epoch, expires_at) values (?, ?, ?, 1, now() + ?::interval)"
                    + " on conflict (pipeline, member) do update"
                    + " set owner = excluded.owner, epoch = l.epoch + 1, expires_at = excluded.expires_at"
                    + " where l.owner = excluded.owner or l.expires_at <= now()"
                    + " returning epoch")) {
                upsert.setString(1, pipeline);
                upsert.setString(2, member);
                upsert.setString(3, owner);
                upsert.setString(4, ttl());
                try (ResultSet rs = upsert.executeQuery()) {
                    if (rs.next()) {
                        long epoch = rs.getLong(1);
                        before.filter(lease -> lease.live() && owner.equals(lease.owner()))
                                .ifPresent(lease -> warnTakeover(pipeline, lease, epoch));
                        return new Claim(pipeline, owner, epoch, shared);
                    }
                }
            }
            Lease held = lease(connection, pipeline, member, false).orElseThrow();
            throw Refusals.claimedBy(pipeline, held.owner(), held.epoch(), held.expiresAt(), held.remaining());
        });
    }

    /**
     * A live claim of another owner in the other mode: for a shared claim, the pipeline's claim for one
     * daemon alone; for that claim, a shared one. This owner's own claim in the other mode (its
     * configuration changed) is ended, fencing the process that held it.
     */
    private Optional<Lease> otherMode(Connection connection, String pipeline, String owner, boolean shared)
            throws SQLException {
        String members = shared ? "member = ''" : "member <> ''";
        try (PreparedStatement end = connection.prepareStatement("update " + leases()
                + " set epoch = epoch + 1, expires_at = '-infinity' where pipeline = ? and " + members
                + " and owner = ? and expires_at > now()")) {
            end.setString(1, pipeline);
            end.setString(2, owner);
            end.executeUpdate();
        }
        return leases(connection, pipeline, members + " and expires_at > now()", false).stream().findFirst();
    }

    /**
     * A live lease of this owner taken over: normal after a crash (the process that held it is gone),
     * but also what happens, at every start, when two daemons were given the same instance id.
     */
    private static void warnTakeover(String pipeline, Lease lease, long epoch) {
        LOG.warn("pipeline {}: took over the live claim of instance {} (epoch {}, until {}) with epoch {}: the process "
                        + "that held it is gone (a crash), or, if another daemon runs with instance id {}, its commits are "
                        + "refused from now on; give each daemon its own instance id",
                pipeline, lease.owner(), lease.epoch(), lease.expiresAt(), epoch, lease.owner());
    }

    @Override
    public void release(Claim claim) throws OffsetStoreException {
        inOpenTransaction("release pipeline " + claim.pipeline(), connection -> {
            try (PreparedStatement update = connection.prepareStatement("update " + leases()
                    + " set expires_at = '-infinity' where pipeline = ? and member = ? and owner = ? and epoch = ?")) {
                update.setString(1, claim.pipeline());
                update.setString(2, member(claim));
                update.setString(3, claim.owner());
                update.setLong(4, claim.epoch());
                update.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Map<String, StoredOffset> load(String pipeline) throws OffsetStoreException {
        Map<String, StoredOffset> byPartition = new LinkedHashMap<>();
        for (StoredOffset offset : list(Optional.of(pipeline))) {
            byPartition.put(offset.partition(), offset);
        }
        return Collections.unmodifiableMap(byPartition);
    }

    @Override
    public SortedSet<String> parkedKeys(String pipeline) throws OffsetStoreException {
        return inOpenTransaction("read parked keys of pipeline " + pipeline, connection -> {
            try (PreparedStatement query = connection.prepareStatement("select key from " + parkedKeysTable()
                    + " where pipeline = ?")) {
                query.setString(1, pipeline);
                SortedSet<String> keys = new TreeSet<>();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
                return Collections.unmodifiableSortedSet(keys);
            }
        });
    }

    @Override
    public void commit(Claim claim, Collection<OffsetCommit> offsets, Optional<Set<String>> parkedKeys) throws OffsetStoreException {
        inOpenTransaction("commit pipeline " + claim.pipeline(), connection -> {
            Optional<Lease> lease = lease(connection, claim.pipeline(), member(claim), true);
            if (lease.isEmpty() || lease.get().epoch() != claim.epoch() || !claim.owner().equals(lease.get().owner())) {
                throw Refusals.lostTo(claim.pipeline(), lease.map(Lease::owner).orElse("nobody"),
                        lease.map(Lease::epoch).orElse(0L));
            }
            try (PreparedStatement renew = connection.prepareStatement("update " + leases()
                    + " set expires_at = now() + ?::interval where pipeline = ? and member = ?")) {
                renew.setString(1, ttl());
                renew.setString(2, claim.pipeline());
                renew.setString(3, member(claim));
                renew.executeUpdate();
            }
            if (!offsets.isEmpty()) {
                upsertOffsets(connection, claim.pipeline(), offsets, claim.shared());
            }
            if (parkedKeys.isPresent()) {
                replaceParkedKeys(connection, claim.pipeline(), parkedKeys.get());
            }
            return null;
        });
    }

    private void replaceParkedKeys(Connection connection, String pipeline, Set<String> keys) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from " + parkedKeysTable() + " where pipeline = ?")) {
            delete.setString(1, pipeline);
            delete.executeUpdate();
        }
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("insert into " + parkedKeysTable() + " (pipeline, key) values (?, ?)")) {
            for (String key : keys) {
                insert.setString(1, pipeline);
                insert.setString(2, key);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    @Override
    public List<StoredOffset> list(Optional<String> pipeline) throws OffsetStoreException {
        String where = pipeline.isPresent() ? " where pipeline = ?" : "";
        return inOpenTransaction("list offsets", connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "select pipeline, partition, position, sequence, records, committed_at from " + offsetsTable()
                            + where + " order by pipeline collate \"C\", partition collate \"C\"")) {
                if (pipeline.isPresent()) {
                    query.setString(1, pipeline.get());
                }
                List<StoredOffset> result = new ArrayList<>();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        result.add(storedOffset(rs));
                    }
                }
                return List.copyOf(result);
            }
        });
    }

    @Override
    public void set(String pipeline, Position position) throws OffsetStoreException {
        inOpenTransaction("set offset of pipeline " + pipeline, connection -> {
            try (PreparedStatement ensure = connection.prepareStatement("insert into " + leases()
                    + " (pipeline, owner, epoch, expires_at) values (?, null, 0, '-infinity') on conflict do nothing")) {
                ensure.setString(1, pipeline);
                ensure.executeUpdate();
            }
            for (Lease lease : leases(connection, pipeline, "true", true)) {
                if (lease.live()) {
                    throw Refusals.beingRun(pipeline, lease.owner() + ", lease until " + lease.expiresAt());
                }
            }
            try (PreparedStatement fence = connection.prepareStatement("update " + leases()
                    + " set owner = ?, epoch = epoch + 1, expires_at = '-infinity' where pipeline = ?")) {
                fence.setString(1, Refusals.OPERATOR);
                fence.setString(2, pipeline);
                fence.executeUpdate();
            }
            try (PreparedStatement upsert = connection.prepareStatement("insert into " + offsetsTable()
                    + " (pipeline, partition, position, sequence, records, committed_at) values (?, ?, ?, ?, 0, now())"
                    + " on conflict (pipeline, partition) do update set position = excluded.position,"
                    + " sequence = excluded.sequence, committed_at = excluded.committed_at")) {
                bindPosition(upsert, pipeline, position);
                upsert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void close() {
        lifecycle.lock();
        try {
            if (dataSource != null) {
                dataSource.close();
                dataSource = null;
            }
            migrated = false;
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * One lease row; {@code live} is whether it has not expired by the database's clock, and
     * {@code remaining} how long until it does (zero once expired).
     */
    private record Lease(String owner, long epoch, Instant expiresAt, boolean live, Duration remaining) {
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException, OffsetStoreException;
    }

    private Optional<Lease> lease(Connection connection, String pipeline, String member, boolean forUpdate)
            throws SQLException {
        try (PreparedStatement query = leaseQuery(connection, "pipeline = ? and member = ?", forUpdate)) {
            query.setString(1, pipeline);
            query.setString(2, member);
            return readLeases(query).stream().findFirst();
        }
    }

    /** The pipeline's lease rows that match {@code condition} (SQL on the row), oldest owner first. */
    private List<Lease> leases(Connection connection, String pipeline, String condition, boolean forUpdate)
            throws SQLException {
        try (PreparedStatement query = leaseQuery(connection, "pipeline = ? and " + condition, forUpdate)) {
            query.setString(1, pipeline);
            return readLeases(query);
        }
    }

    private PreparedStatement leaseQuery(Connection connection, String where, boolean forUpdate) throws SQLException {
        return connection.prepareStatement("select owner, epoch, expires_at, expires_at > now(),"
                + " case when expires_at > now() then ceil(extract(epoch from expires_at - now()) * 1000)::bigint else 0 end"
                + " from " + leases() + " where " + where + " order by member collate \"C\"" + (forUpdate ? " for update" : ""));
    }

    private static List<Lease> readLeases(PreparedStatement query) throws SQLException {
        List<Lease> found = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                Instant expiresAt = rs.getObject(3, OffsetDateTime.class).toInstant();
                found.add(new Lease(rs.getString(1), rs.getLong(2), expiresAt, rs.getBoolean(4),
                        Duration.ofMillis(rs.getLong(5))));
            }
        }
        return found;
    }

    /** A claim's lease row: its owner's for a shared claim, the pipeline's one row otherwise. */
    private static String member(Claim claim) {
        return claim.shared() ? claim.owner() : EXCLUSIVE;
    }

    /** With {@code forwardOnly}, a partition whose stored sequence is not below the new one keeps it. */
    private void upsertOffsets(Connection connection, String pipeline, Collection<OffsetCommit> offsets,
                               boolean forwardOnly) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("insert into " + offsetsTable() + " as o"
                + " (pipeline, partition, position, sequence, records, committed_at) values (?, ?, ?, ?, ?, now())"
                + " on conflict (pipeline, partition) do update set position = excluded.position,"
                + " sequence = excluded.sequence, records = o.records + excluded.records,"
                + " committed_at = excluded.committed_at"
                + (forwardOnly ? " where o.sequence is null or excluded.sequence is null or o.sequence < excluded.sequence" : ""))) {
            for (OffsetCommit offset : offsets) {
                bindPosition(upsert, pipeline, offset.position());
                upsert.setLong(5, offset.recordsAdded());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static void bindPosition(PreparedStatement statement, String pipeline, Position position)
            throws SQLException {
        statement.setString(1, pipeline);
        statement.setString(2, position.partition());
        statement.setString(3, position.offset());
        if (position.hasSequence()) {
            statement.setLong(4, position.sequence());
        } else {
            statement.setNull(4, Types.BIGINT);
        }
    }

    private static StoredOffset storedOffset(ResultSet rs) throws SQLException {
        long sequence = rs.getLong(4);
        if (rs.wasNull()) {
            sequence = Position.NO_SEQUENCE;
        }
        Position position = new Position(rs.getString(2), rs.getString(3), sequence);
        return new StoredOffset(rs.getString(1), position, rs.getLong(5),
                rs.getObject(6, OffsetDateTime.class).toInstant());
    }

    private <T> T inOpenTransaction(String action, SqlWork<T> work) throws OffsetStoreException {
        if (!migrated) {
            throw new IllegalStateException(describe() + " is not open");
        }
        return inTransaction(action, work);
    }

    private <T> T inTransaction(String action, SqlWork<T> work) throws OffsetStoreException {
        HikariDataSource pool = dataSource;
        if (pool == null) {
            throw new IllegalStateException(describe() + " is closed");
        }
        try (Connection connection = pool.getConnection()) {
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | OffsetStoreException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw failures.translate(action, e);
        }
    }

    private static void rollback(Connection connection, Exception primary) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            primary.addSuppressed(e);
        }
    }

    private HikariConfig poolConfig() {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(POOL_NAME);
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        if (config.password() != null) {
            hikari.setPassword(config.password().reveal());
        }
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(1);
        hikari.setAutoCommit(false);
        hikari.setConnectionTimeout(connectionTimeout.toMillis());
        hikari.setInitializationFailTimeout(-1);
        hikari.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, connectionTimeout.toSeconds())));
        hikari.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
        hikari.addDataSourceProperty("ApplicationName", "msgbridge " + LocalOwner.id());
        return hikari;
    }

    private String ttl() {
        return leaseTtl.toMillis() + " milliseconds";
    }

    private String leases() {
        return schema.table("leases");
    }

    private String parkedKeysTable() {
        return schema.table("parked_keys");
    }

    private String offsetsTable() {
        return schema.table("offsets");
    }
}
