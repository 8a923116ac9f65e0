package io.msgbridge.offsets;

import io.msgbridge.config.OffsetsConfig;
import io.msgbridge.spi.Secret;
import io.msgbridge.testing.Ports;
import io.msgbridge.testing.TcpProxy;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Runs against the PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres, database test). */
@Tag("integration")
class PostgresOffsetStoreTest extends OffsetStoreContract {
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";
    private static final String SCHEMA = "bridge_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private static final Duration SHORT_CONNECT = Duration.ofSeconds(1);
    private static final String PASSWORD = "hunter2-not-for-logs";

    private static OffsetsConfig.Postgres config(String url, Secret password) {
        return new OffsetsConfig.Postgres(url, USER, password, SCHEMA, 2, Duration.ofSeconds(1));
    }

    @Override
    protected OffsetStore newStore(Duration leaseTtl) {
        return new PostgresOffsetStore(config(URL, null), leaseTtl);
    }

    @Override
    protected void failWritesOfPartition(OffsetStore store, String partition) throws SQLException {
        sql("create function \"" + SCHEMA + "\".fail_partition() returns trigger language plpgsql as $$"
                + " begin if new.partition = '" + partition + "' then"
                + " raise exception 'injected failure writing partition %', new.partition; end if;"
                + " return new; end $$");
        sql("create trigger fail_partition before insert or update on \"" + SCHEMA + "\".offsets"
                + " for each row execute function \"" + SCHEMA + "\".fail_partition()");
    }

    @BeforeEach
    void startOnAnEmptySchema() throws SQLException {
        dropSchema();
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        sql("drop schema if exists \"" + SCHEMA + "\" cascade");
    }

    @Test
    void openCreatesTheSchemaAndRecordsItsMigrations() throws Exception {
        open(LONG_LEASE);

        assertThat(query("select version from \"" + SCHEMA + "\".schema_version order by version")).containsExactly("1", "2", "3");
        assertThat(query("select table_name || '.' || column_name || ':' || data_type from information_schema.columns"
                + " where table_schema = '" + SCHEMA + "' and table_name in ('offsets', 'leases', 'parked_keys')"
                + " order by table_name, ordinal_position"))
                .containsExactly("leases.pipeline:text", "leases.owner:text", "leases.epoch:bigint",
                        "leases.expires_at:timestamp with time zone", "leases.member:text",
                        "offsets.pipeline:text", "offsets.partition:text", "offsets.position:text",
                        "offsets.sequence:bigint", "offsets.records:bigint",
                        "offsets.committed_at:timestamp with time zone",
                        "parked_keys.pipeline:text", "parked_keys.key:text");
    }

    @Test
    void daemonsStartingTogetherMigrateTheSchemaOnce() throws Exception {
        List<OffsetStore> stores = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stores.add(newStore(LONG_LEASE));
        }
        ExecutorService starters = Executors.newFixedThreadPool(stores.size());
        try {
            List<Future<Void>> started = new ArrayList<>();
            for (OffsetStore store : stores) {
                started.add(starters.submit((Callable<Void>) () -> {
                    store.open();
                    return null;
                }));
            }
            for (Future<Void> future : started) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            starters.shutdownNow();
            stores.forEach(OffsetStore::close);
        }

        assertThat(query("select version from \"" + SCHEMA + "\".schema_version order by version")).containsExactly("1", "2", "3");
    }

    @Test
    void aSchemaAtVersionOneIsMigratedKeepingItsOffsets() throws Exception {
        sql("create schema \"" + SCHEMA + "\"");
        sql("create table \"" + SCHEMA + "\".schema_version (version integer primary key, description text not null,"
                + " applied_at timestamptz not null default now())");
        for (String statement : PostgresMigrations.ALL.getFirst().statements()) {
            sql(statement.formatted("\"" + SCHEMA + "\""));
        }
        sql("insert into \"" + SCHEMA + "\".schema_version (version, description) values (1, 'offsets and leases')");
        sql("insert into \"" + SCHEMA + "\".offsets (pipeline, partition, position, sequence, records, committed_at)"
                + " values ('" + PIPELINE + "', 'p0', '7', 7, 7, now())");

        OffsetStore store = open(LONG_LEASE);

        assertThat(query("select version from \"" + SCHEMA + "\".schema_version order by version")).containsExactly("1", "2", "3");
        assertThat(store.load(PIPELINE).get("p0").position()).isEqualTo(position("p0", "7", 7));
        assertThat(store.parkedKeys(PIPELINE)).isEmpty();
        Claim claim = store.claim(PIPELINE, OWNER_A);
        store.commit(claim, List.of(), Optional.of(Set.of("k")));
        assertThat(store.parkedKeys(PIPELINE)).containsExactly("k");
    }

    @Test
    void aStaleDaemonsCommitIsRefusedAfterAnotherDaemonTookOverItsExpiredLease() throws Exception {
        OffsetStore daemonA = open(SHORT_LEASE);
        OffsetStore daemonB = open(SHORT_LEASE);
        Claim stale = daemonA.claim(PIPELINE, OWNER_A);
        daemonA.commit(stale, List.of(commitOf("p0", 4, 4)));
        assertRefused(() -> daemonB.claim(PIPELINE, OWNER_B), "pipeline orders is claimed by host-a:101 (epoch 1) until ");

        Claim taken = await("the lease of " + OWNER_A + " to expire").atMost(Duration.ofSeconds(10))
                .until(() -> tryClaim(daemonB, PIPELINE, OWNER_B), Optional::isPresent).orElseThrow();

        assertRefused(() -> daemonA.commit(stale, List.of(commitOf("p0", 5, 1))),
                "claim of pipeline orders lost to host-b:202 (epoch 2)");
        assertThat(daemonB.load(PIPELINE).get("p0").position()).isEqualTo(position("p0", "4", 4));
        daemonB.commit(taken, List.of(commitOf("p0", 5, 1)));
        assertThat(daemonA.load(PIPELINE).get("p0").records()).isEqualTo(5);
    }

    @Test
    void aRestartedDaemonOfTheSameInstanceTakesItsLiveClaimOverAtOnceAndFencesTheEarlierProcess() throws Exception {
        OffsetStore earlier = open(LONG_LEASE);
        Claim zombie = earlier.claim(PIPELINE, OWNER_A);
        earlier.commit(zombie, List.of(commitOf("p0", 4, 4)));
        OffsetStore restarted = open(LONG_LEASE);

        Claim taken = restarted.claim(PIPELINE, OWNER_A);

        assertThat(taken.epoch()).isEqualTo(zombie.epoch() + 1);
        assertRefused(() -> earlier.commit(zombie, List.of(commitOf("p0", 9, 5))),
                "claim of pipeline orders lost to host-a:101 (epoch 2)");
        assertRefused(() -> restarted.claim(PIPELINE, OWNER_B), "pipeline orders is claimed by host-a:101 (epoch 2)");
        assertThat(restarted.load(PIPELINE).get("p0").position()).isEqualTo(position("p0", "4", 4));
    }

    @Test
    void daemonsClaimingSharedEachCommitTheirPartitionsAndAStoredPositionNeverMovesBack() throws Exception {
        OffsetStore daemonA = open(LONG_LEASE);
        OffsetStore daemonB = open(LONG_LEASE);
        Claim a = daemonA.claim(PIPELINE, OWNER_A, true);
        Claim b = daemonB.claim(PIPELINE, OWNER_B, true);
        assertThat(a.shared()).isTrue();
        daemonA.commit(a, List.of(commitOf("p0", 10, 10), commitOf("p1", 3, 3)));
        daemonB.commit(b, List.of(commitOf("p1", 20, 17)));

        daemonA.commit(a, List.of(commitOf("p1", 5, 2)));

        assertThat(daemonB.load(PIPELINE).get("p0").position()).isEqualTo(position("p0", "10", 10));
        assertThat(daemonB.load(PIPELINE).get("p1").position())
                .as("a partition given up and committed late by its last owner keeps the new owner's position")
                .isEqualTo(position("p1", "20", 20));
    }

    @Test
    void aSharedClaimAndAClaimForOneDaemonExcludeEachOtherAndASharedOwnerRestartedFencesItsEarlierProcess()
            throws Exception {
        OffsetStore daemonA = open(LONG_LEASE);
        OffsetStore daemonB = open(LONG_LEASE);
        Claim zombie = daemonA.claim(PIPELINE, OWNER_A, true);
        assertRefused(() -> daemonB.claim(PIPELINE, OWNER_B),
                "pipeline orders is claimed by host-a:101 (with others, mode: group) (epoch 1) until ");
        Claim restarted = daemonB.claim(PIPELINE, OWNER_A, true);
        assertThat(restarted.epoch()).isEqualTo(zombie.epoch() + 1);
        assertRefused(() -> daemonA.commit(zombie, List.of(commitOf("p0", 1, 1))),
                "claim of pipeline orders lost to host-a:101 (epoch 2)");
        daemonB.release(restarted);

        Claim alone = daemonB.claim(PIPELINE, OWNER_B);
        assertRefused(() -> daemonA.claim(PIPELINE, OWNER_A, true), "pipeline orders is claimed by host-b:202 (epoch ");
        daemonB.commit(alone, List.of(commitOf("p0", 2, 2)));
        assertRefused(() -> open(LONG_LEASE).set(PIPELINE, position("p0", "0", 0)),
                "pipeline orders is being run by a daemon (owner host-b:202");
    }

    @Test
    void anOperatorsSetIsRefusedWhileAnyDaemonOfAGroupHoldsASharedClaimAndFencesThemOnceExpired() throws Exception {
        OffsetStore daemonA = open(SHORT_LEASE);
        OffsetStore operator = open(LONG_LEASE);
        Claim a = daemonA.claim(PIPELINE, OWNER_A, true);
        assertRefused(() -> operator.set(PIPELINE, position("p0", "0", 0)),
                "pipeline orders is being run by a daemon (owner host-a:101, lease until ");

        await("the shared lease to expire").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> {
                    operator.set(PIPELINE, position("p0", "0", 0));
                    return true;
                });

        assertRefused(() -> daemonA.commit(a, List.of(commitOf("p0", 7, 7))),
                "claim of pipeline orders lost to operator (offsets set)");
        assertThat(operator.load(PIPELINE).get("p0").position()).isEqualTo(position("p0", "0", 0));
    }

    @Test
    void anOperatorsSetFromAnotherStoreIsRefusedWhileADaemonHoldsTheLease() throws Exception {
        OffsetStore daemon = open(LONG_LEASE);
        OffsetStore operator = open(LONG_LEASE);
        daemon.claim(PIPELINE, OWNER_A);

        assertRefused(() -> operator.set(PIPELINE, position("p0", "1", 1)),
                "pipeline orders is being run by a daemon (owner host-a:101, lease until ");
    }

    @Test
    void anOutageIsRetriableAndNamesTheStoreWithoutThePassword() {
        String url = "jdbc:postgresql://127.0.0.1:1/test?password=" + PASSWORD;
        OffsetStore store = new PostgresOffsetStore(config(url, new Secret(PASSWORD)), LONG_LEASE, SHORT_CONNECT);
        try {
            assertThatThrownBy(store::open).isInstanceOfSatisfying(OffsetStoreException.class, e -> {
                assertThat(e.retriable()).as("retriable").isTrue();
                assertThat(e.getMessage())
                        .startsWith("PostgreSQL jdbc:postgresql://127.0.0.1:1/test?password=**** unreachable: ")
                        .contains("127.0.0.1:1")
                        .doesNotContain(PASSWORD);
            });
        } finally {
            store.close();
        }
    }

    @Test
    void openSucceedsOnceTheDatabaseIsBack() throws Exception {
        int port = Ports.free();
        OffsetStore store = new PostgresOffsetStore(config("jdbc:postgresql://127.0.0.1:" + port + "/test", null),
                LONG_LEASE, SHORT_CONNECT);
        try {
            assertThatThrownBy(store::open).isInstanceOfSatisfying(OffsetStoreException.class,
                    e -> assertThat(e.retriable()).isTrue());

            TcpProxy databaseBack = new TcpProxy(port, "127.0.0.1", 5432);
            try {
                store.open();
                Claim claim = store.claim(PIPELINE, OWNER_A);
                store.commit(claim, List.of(commitOf("p0", 1, 1)));
                assertThat(store.load(PIPELINE)).containsOnlyKeys("p0");
            } finally {
                store.close();
                databaseBack.close();
            }
        } finally {
            store.close();
        }
    }

    @Test
    void aMissingDatabaseIsRefusedWithTheFixAndNoPromiseOfEnding() {
        OffsetStore store = new PostgresOffsetStore(config("jdbc:postgresql://127.0.0.1:5432/no_such_db_for_msgbridge",
                null), LONG_LEASE, SHORT_CONNECT);
        try {
            assertRefusedForGood(store::open,
                    "PostgreSQL jdbc:postgresql://127.0.0.1:5432/no_such_db_for_msgbridge refused the connection: ",
                    "; create the database or fix offsets.postgres.url");
        } finally {
            store.close();
        }
    }

    @Test
    void aMissingRoleIsRefusedWithTheFixAndNoPromiseOfEnding() {
        OffsetStore store = new PostgresOffsetStore(new OffsetsConfig.Postgres(URL, "no_such_role_for_msgbridge", null,
                SCHEMA, 2, Duration.ofSeconds(1)), LONG_LEASE, SHORT_CONNECT);
        try {
            assertRefusedForGood(store::open, "PostgreSQL " + URL + " refused the connection: ",
                    "; create the role or fix offsets.postgres user/password");
        } finally {
            store.close();
        }
    }

    /** Refused, with the fix at the end, and without a time it may end at: the pipeline fails rather than waits. */
    private static void assertRefusedForGood(ThrowingCallable call, String messageStart, String fix) {
        assertRefused(call, messageStart);
        assertThatThrownBy(call).isInstanceOfSatisfying(OffsetStoreException.class, e -> {
            assertThat(e.getMessage()).endsWith(fix);
            assertThat(e.retryAfter()).isEmpty();
        });
    }

    @Test
    void aSchemaNewerThanThisCodeIsRefused() throws Exception {
        open(LONG_LEASE).close();
        sql("insert into \"" + SCHEMA + "\".schema_version (version, description) values (" + (PostgresMigrations.LATEST + 1)
                + ", 'from the future')");

        assertRefused(() -> open(LONG_LEASE), "PostgreSQL " + URL + ": schema " + SCHEMA + " is at version "
                + (PostgresMigrations.LATEST + 1) + " but this msgbridge knows versions up to " + PostgresMigrations.LATEST
                + "; upgrade msgbridge");
    }

    @Test
    void anInvalidSchemaNameIsRejectedBeforeConnecting() {
        OffsetsConfig.Postgres bad = new OffsetsConfig.Postgres(URL, USER, null, "bridge\"; drop table x; --", 2,
                Duration.ofSeconds(1));

        assertThatThrownBy(() -> new PostgresOffsetStore(bad, LONG_LEASE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("offsets schema \"bridge\"; drop table x; --\" is not a valid name: ");
    }

    @Test
    void theDefaultSchemaIsBridge() {
        assertThat(new PostgresSchema(null).quoted()).isEqualTo("\"bridge\"");
        assertThat(new PostgresSchema("bridge").table("offsets")).isEqualTo("\"bridge\".\"offsets\"");
    }

    private static void sql(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> query(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, USER, "");
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }
}
