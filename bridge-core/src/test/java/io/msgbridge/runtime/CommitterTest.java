package io.msgbridge.runtime;

import io.msgbridge.config.OffsetsConfig;
import io.msgbridge.metrics.PipelineMetrics;
import io.msgbridge.offsets.Claim;
import io.msgbridge.offsets.OffsetStore;
import io.msgbridge.offsets.OffsetStores;
import io.msgbridge.spi.Position;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** What one commit writes of the parked keys, with the keys changing while it reads them. */
class CommitterTest {
    @TempDir
    Path dir;

    private OffsetStore store;
    private Claim claim;
    private final OffsetTracker tracker = new OffsetTracker();

    @BeforeEach
    void openStore() throws Exception {
        store = OffsetStores.create(new OffsetsConfig.File(dir.resolve("offsets.json"), Duration.ofSeconds(1)));
        store.open();
        claim = store.claim("p", "test-owner");
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** Each call answers the next of the given parked sets (the last one from then on). */
    private static Supplier<Set<String>> answering(List<Set<String>> answers) {
        Deque<Set<String>> left = new ArrayDeque<>(answers);
        return () -> left.size() > 1 ? left.poll() : left.peek();
    }

    private Committer committer(Set<String> stored, Supplier<Set<String>> parkedNow) {
        return new Committer(tracker, store, claim, new MemorySource(List.of()), PipelineMetrics.NONE, Clock.systemUTC(),
                Map.of(), stored, parkedNow);
    }

    @Test
    void aKeyUnparkedWhileTheCommitReadsThePositionsIsStillCommittedAsParked() throws Exception {
        tracker.register(new Position("mem", "0", 0), 0).done();
        Committer committer = committer(Set.of(), answering(List.of(Set.of("k"), Set.of())));

        assertThat(committer.commit()).isNull();

        assertThat(store.parkedKeys("p")).containsExactly("k");
        assertThat(store.load("p").get("mem").position().sequence()).isZero();

        assertThat(committer.commit()).isNull();
        assertThat(store.parkedKeys("p")).as("the next commit lets it go").isEmpty();
    }

    @Test
    void aKeyParkedWhileTheCommitReadsThePositionsIsCommittedWithThem() throws Exception {
        tracker.register(new Position("mem", "0", 0), 0).done();
        Committer committer = committer(Set.of(), answering(List.of(Set.of(), Set.of("k"))));

        assertThat(committer.commit()).isNull();

        assertThat(store.parkedKeys("p")).containsExactly("k");
    }

    @Test
    void anIdlePipelineWritesToTheStoreOnlyToRenewItsClaim() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T12:00:00Z"));
        Clock clock = new Clock() {
            @Override public ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(ZoneId zone) { return this; }
            @Override public Instant instant() { return now.get(); }
        };
        AtomicInteger writes = new AtomicInteger();
        PipelineMetrics counting = (PipelineMetrics) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PipelineMetrics.class}, (proxy, method, args) -> {
                    if (method.getName().equals("committed")) {
                        writes.incrementAndGet();
                    }
                    return null;
                });
        Committer committer = new Committer(tracker, store, claim, new MemorySource(List.of()), counting, clock,
                Map.of(), Set.of(), Set::of);

        for (int second = 0; second < 12; second++) {
            assertThat(committer.commit()).isNull();
            now.set(now.get().plusSeconds(1));
        }
        assertThat(writes.get()).as("writes in 12 idle seconds: at 0 s, 5 s and 10 s").isEqualTo(3);

        tracker.register(new Position("mem", "0", 0), 0).done();
        assertThat(committer.commit()).isNull();
        assertThat(writes.get()).as("a moved position is written at once").isEqualTo(4);
    }

    @Test
    void keysParkedAtStartStayParkedUntilTheLanesLetThemGo() throws Exception {
        store.commit(claim, List.of(), Optional.of(Set.of("a")));
        Committer committer = committer(Set.of("a"), answering(List.of(Set.of("a"), Set.of("a"), Set.of("a"), Set.of("a"), Set.of())));

        assertThat(committer.commit()).isNull();
        assertThat(store.parkedKeys("p")).containsExactly("a");

        assertThat(committer.commit()).isNull();
        assertThat(store.parkedKeys("p")).containsExactly("a");
        assertThat(committer.commit()).isNull();
        assertThat(store.parkedKeys("p")).isEmpty();
    }
}
