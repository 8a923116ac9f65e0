package io.msgbridge.offsets;

import io.msgbridge.spi.Position;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link OffsetStore} promises. Each store's test extends this and says how to make a store
 * (each test starts on an empty store; {@link #newStore} called again within a test reaches the same
 * data) and how to make a write fail partway.
 */
public abstract class OffsetStoreContract {
    protected static final Duration LONG_LEASE = Duration.ofMinutes(5);
    protected static final Duration SHORT_LEASE = Duration.ofMillis(300);
    protected static final String PIPELINE = "orders";
    protected static final String OWNER_A = "host-a:101";
    protected static final String OWNER_B = "host-b:202";

    private final List<OffsetStore> opened = new ArrayList<>();

    /** A new, unopened store on this test's data. */
    protected abstract OffsetStore newStore(Duration leaseTtl);

    /** Arranges that any later commit that includes {@code partition} fails after it started writing. */
    protected abstract void failWritesOfPartition(OffsetStore store, String partition) throws Exception;

    protected OffsetStore open(Duration leaseTtl) throws OffsetStoreException {
        OffsetStore store = newStore(leaseTtl);
        opened.add(store);
        store.open();
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.reversed().forEach(OffsetStore::close);
    }

    protected static Position position(String partition, String offset, long sequence) {
        return new Position(partition, offset, sequence);
    }

    protected static OffsetCommit commitOf(String partition, long sequence, long recordsAdded) {
        return new OffsetCommit(position(partition, String.valueOf(sequence), sequence), recordsAdded);
    }

    protected static void assertRefused(ThrowingCallable call, String messageStart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(OffsetStoreException.class, e -> {
            assertThat(e.getMessage()).startsWith(messageStart);
            assertThat(e.retriable()).as("retriable, for: %s", e.getMessage()).isFalse();
        });
    }

    protected static Optional<Claim> tryClaim(OffsetStore store, String pipeline, String owner)
            throws OffsetStoreException {
        try {
            return Optional.of(store.claim(pipeline, owner));
        } catch (OffsetStoreException e) {
            if (e.retriable()) {
                throw e;
            }
            return Optional.empty();
        }
    }

    @Test
    void committedOffsetsLoadBackAsCommitted() throws Exception {
        OffsetStore store = open(LONG_LEASE);
        Claim claim = store.claim(PIPELINE, OWNER_A);
        Position withSequence = position("stream-a", "1042", 1042);
        Position withoutSequence = position("topic/channel", "0a1b2c3d", Position.NO_SEQUENCE);

        store.commit(claim, List.of(new OffsetCommit(withSequence, 3), new OffsetCommit(withoutSequence, 5)));

        Map<String, StoredOffset> loaded = store.load(PIPELINE);
        assertThat(loaded).containsOnlyKeys("stream-a", "topic/channel");
        assertThat(loaded.get("stream-a").position()).isEqualTo(withSequence);
        assertThat(loaded.get("stream-a").records()).isEqualTo(3);
        assertThat(loaded.get("stream-a").pipeline()).isEqualTo(PIPELINE);
        assertThat(loaded.get("stream-a").committedAt()).isNotNull();
        assertThat(loaded.get("topic/channel").position()).isEqualTo(withoutSequence);
        assertThat(loaded.get("topic/channel").position().hasSequence()).isFalse();
        assertThat(store.load("unknown")).isEmpty();
    }

    @Test
    void commitsAccumulateRecordCountsAndKeepTheLatestPosition() throws Exception {
        OffsetStore store = open(LONG_LEASE);
        Claim claim = store.claim(PIPELINE, OWNER_A);

        store.commit(claim, List.of(commitOf("p0", 10, 3)));
        store.commit(claim, List.of(commitOf("p0", 14, 4)));

        StoredOffset p0 = store.load(PIPELINE).get("p0");
        assertThat(p0.records()).isEqualTo(7);
        assertThat(p0.position()).isEqualTo(position("p0", "14", 14));
    }

    @Test
    void aCommitOfSeveralPartitionsIsAllOrNothing() throws Exception {
        OffsetStore store = open(LONG_LEASE);
        Claim claim = store.claim(PIPELINE, OWNER_A);
        store.commit(claim, List.of(commitOf("p0", 1, 1)));
        failWritesOfPartition(store, "poison");

        assertThatThrownBy(() -> store.commit(claim, List.of(commitOf("p0", 2, 1), commitOf("poison", 1, 1))))
                .isInstanceOf(OffsetStoreException.class);

        assertThat(store.load(PIPELINE)).containsOnlyKeys("p0");
        assertThat(store.load(PIPELINE).get("p0").position().offset()).isEqualTo("1");
        assertThat(store.load(PIPELINE).get("p0").records()).isEqualTo(1);
        store.commit(claim, List.of(commitOf("p0", 3, 2)));
        assertThat(store.load(PIPELINE).get("p0").records()).isEqualTo(3);
    }

    @Test
    void aStaleClaimCannotCommitAfterAnotherOwnerTookOverItsExpiredLease() throws Exception {
        OffsetStore store = open(SHORT_LEASE);
        Claim stale = store.claim(PIPELINE, OWNER_A);
        store.commit(stale, List.of(commitOf("p0", 1, 1)));

        Claim taken = await("the lease of " + OWNER_A + " to expire").atMost(Duration.ofSeconds(10))
                .until(() -> tryClaim(store, PIPELINE, OWNER_B), Optional::isPresent).orElseThrow();

        assertThat(taken.epoch()).isGreaterThan(stale.epoch());
        assertRefused(() -> store.commit(stale, List.of(commitOf("p0", 2, 1))),
                "claim of pipeline orders lost to host-b:202 (epoch " + taken.epoch() + ")");
        assertThat(store.load(PIPELINE).get("p0").position().offset()).isEqualTo("1");
        store.commit(taken, List.of(commitOf("p0", 2, 1)));
        assertThat(store.load(PIPELINE).get("p0").records()).isEqualTo(2);
    }

    @Test
    void aLiveClaimIsRefusedToAnotherOwnerNamingTheHolder() throws Exception {
        OffsetStore store = open(LONG_LEASE);
        store.claim(PIPELINE, OWNER_A);

        assertRefused(() -> store.claim(PIPELINE, OWNER_B), "pipeline orders is claimed by host-a:101 (epoch 1) until ");
    }

    @Test
    void aRefusedClaimSaysHowLongTheLiveLeaseHasLeft() throws Exception {
        OffsetStore store = open(LONG_LEASE);
        store.claim(PIPELINE, OWNER_A);

        assertThatThrownBy(() -> store.claim(PIPELINE, OWNER_B)).isInstanceOfSatisfying(OffsetStoreException.class,
                e -> assertThat(e.retryAfter()).hasValueSatisfying(left ->
                        assertThat(left).isBetween(LONG_LEASE.minusSeconds(30), LONG_LEASE)));
    }

    @Test
    void eachClaimIncrementsTheEpochAndSupersedesTheEarlierClaim() throws Exception {
        OffsetStore store = open(LONG_LEASE);
        Claim first = store.claim(PIPELINE, OWNER_A);
        Claim second = store.claim(PIPELINE, OWNER_A);

        assertThat(second.epoch()).isEqualTo(first.epoch() + 1);
        assertRefused(() -> store.commit(first, List.of(commitOf("p0", 1, 1))),
                "claim of pipeline orders lost to host-a:101 (epoch " + second.epoch() + ")");
    }

    @Test
    void aReleasedClaimCanBeTakenByAnotherOwnerAtOnce() throws Exception {
        OffsetStore store = open(LONG_LEASE);
        Claim released = store.claim(PIPELINE, OWNER_A);
        store.release(released);

        Claim taken = store.claim(PIPELINE, OWNER_B);

        assertThat(taken.epoch()).isEqualTo(released.epoch() + 1);
    }

    @Test
    void anEmptyCommitWritesNothingAndKeepsTheClaim() throws Exception {
        OffsetStore store = open(LONG_LEASE);
        Claim claim = store.claim(PIPELINE, OWNER_A);

        store.commit(claim, List.of());

        assertThat(store.load(PIPELINE)).isEmpty();
        assertRefused(() -> store.claim(PIPELINE, OWNER_B), "pipeline orders is claimed by host-a:101");
    }

    @Test
    void setIsRefusedWhileALiveOwnerHoldsThePipeline() throws Exception {
        OffsetStore store = open(LONG_LEASE);
        Claim claim = store.claim(PIPELINE, OWNER_A);
        store.commit(claim, List.of(commitOf("p0", 5, 5)));

        assertRefused(() -> store.set(PIPELINE, position("p0", "1", 1)),
                "pipeline orders is being run by a daemon (owner host-a:101");
        assertThatThrownBy(() -> store.set(PIPELINE, position("p0", "1", 1))).hasMessageEndingWith("; stop it first");
        assertThat(store.load(PIPELINE).get("p0").position().offset()).isEqualTo("5");
    }

    @Test
    void setOnAFreePipelineStoresThePositionKeepsTheCountAndFencesTheLastClaim() throws Exception {
        OffsetStore store = open(LONG_LEASE);
        Claim claim = store.claim(PIPELINE, OWNER_A);
        store.commit(claim, List.of(commitOf("p0", 5, 5)));
        store.release(claim);

        store.set(PIPELINE, position("p0", "2", 2));
        store.set(PIPELINE, position("p1", "7", 7));

        assertThat(store.load(PIPELINE).get("p0").position()).isEqualTo(position("p0", "2", 2));
        assertThat(store.load(PIPELINE).get("p0").records()).isEqualTo(5);
        assertThat(store.load(PIPELINE).get("p1").records()).isZero();
        assertRefused(() -> store.commit(claim, List.of(commitOf("p0", 6, 1))),
                "claim of pipeline orders lost to operator (offsets set)");
        assertThat(store.claim(PIPELINE, OWNER_B).epoch()).isGreaterThan(claim.epoch());
    }

    @Test
    void listIsOrderedByPipelineThenPartitionAndFiltersByPipeline() throws Exception {
        OffsetStore store = open(LONG_LEASE);
        Claim payments = store.claim("payments", OWNER_A);
        Claim audit = store.claim("audit", OWNER_A);
        store.commit(payments, List.of(commitOf("p2", 1, 1), commitOf("P10", 1, 1), commitOf("p1", 1, 1)));
        store.commit(audit, List.of(commitOf("z", 1, 1), commitOf("a", 1, 1)));

        assertThat(store.list(Optional.empty()))
                .extracting(o -> o.pipeline() + "/" + o.partition())
                .containsExactly("audit/a", "audit/z", "payments/P10", "payments/p1", "payments/p2");
        assertThat(store.list(Optional.of("payments")))
                .extracting(StoredOffset::partition)
                .containsExactly("P10", "p1", "p2");
        assertThat(store.list(Optional.of("unknown"))).isEmpty();
    }

    @Test
    void parkedKeysAreReplacedWithTheirCommitAndKeptWhenACommitLeavesThemOut() throws Exception {
        OffsetStore store = open(LONG_LEASE);
        Claim claim = store.claim(PIPELINE, OWNER_A);
        Claim other = store.claim("other", OWNER_A);
        assertThat(store.parkedKeys(PIPELINE)).isEmpty();

        store.commit(claim, List.of(commitOf("p0", 1, 1)), Optional.of(Set.of("order-7", "order-3")));
        store.commit(other, List.of(), Optional.of(Set.of("elsewhere")));
        store.commit(claim, List.of(commitOf("p0", 2, 1)));

        assertThat(store.parkedKeys(PIPELINE)).containsExactly("order-3", "order-7");
        assertThat(store.load(PIPELINE).get("p0").position().offset()).isEqualTo("2");

        store.commit(claim, List.of(), Optional.of(Set.of("order-7")));
        assertThat(store.parkedKeys(PIPELINE)).containsExactly("order-7");
        store.commit(claim, List.of(), Optional.of(Set.of()));
        assertThat(store.parkedKeys(PIPELINE)).isEmpty();
        assertThat(store.parkedKeys("other")).containsExactly("elsewhere");
    }

    @Test
    void parkedKeysAreNotWrittenByARefusedCommit() throws Exception {
        OffsetStore store = open(LONG_LEASE);
        Claim stale = store.claim(PIPELINE, OWNER_A);
        store.release(stale);
        store.claim(PIPELINE, OWNER_B);

        assertThatThrownBy(() -> store.commit(stale, List.of(commitOf("p0", 1, 1)), Optional.of(Set.of("k"))))
                .isInstanceOf(OffsetStoreException.class);

        assertThat(store.parkedKeys(PIPELINE)).isEmpty();
        assertThat(store.load(PIPELINE)).isEmpty();
    }

    @Test
    void committedStateSurvivesReopeningTheStore() throws Exception {
        OffsetStore first = open(LONG_LEASE);
        Claim claim = first.claim(PIPELINE, OWNER_A);
        first.commit(claim, List.of(commitOf("p0", 9, 9)), Optional.of(Set.of("k1", "k2")));
        first.close();

        OffsetStore second = open(LONG_LEASE);

        assertThat(second.parkedKeys(PIPELINE)).containsExactly("k1", "k2");
        assertThat(second.load(PIPELINE).get("p0").position()).isEqualTo(position("p0", "9", 9));
        assertThat(second.load(PIPELINE).get("p0").records()).isEqualTo(9);
        assertThat(second.claim(PIPELINE, OWNER_A).epoch()).isEqualTo(claim.epoch() + 1);
    }
}
