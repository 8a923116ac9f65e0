package io.msgbridge.runtime;

import com.codahale.metrics.MetricRegistry;
import io.msgbridge.config.KeySpec;
import io.msgbridge.config.MemoryConfig;
import io.msgbridge.config.OffsetsConfig;
import io.msgbridge.config.PipelineConfig;
import io.msgbridge.config.RetryConfig;
import io.msgbridge.metrics.DropwizardPipelineMetrics;
import io.msgbridge.metrics.PipelineMetrics;
import io.msgbridge.offsets.Claim;
import io.msgbridge.offsets.OffsetCommit;
import io.msgbridge.offsets.OffsetStore;
import io.msgbridge.offsets.OffsetStoreException;
import io.msgbridge.offsets.OffsetStores;
import io.msgbridge.offsets.StoredOffset;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.SinkOrdering;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PipelineTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<Pipeline> running = new ArrayList<>();
    private OffsetStore store;
    private PipelineMetrics metrics = PipelineMetrics.NONE;

    @AfterEach
    void tearDown() throws InterruptedException {
        for (Pipeline pipeline : running) {
            pipeline.stop();
            pipeline.awaitStopped(DEADLINE);
        }
        timer.shutdownNow();
        if (store != null) {
            store.close();
        }
    }

    /** {@code count} JSON messages over {@code keys} keys; each payload says its key and its number within the key. */
    private static List<Message> keyed(int count, int keys) {
        List<Message> messages = new ArrayList<>();
        int[] perKey = new int[keys];
        for (int i = 0; i < count; i++) {
            int key = (i * 7919) % keys;
            String body = "{\"k\":\"key-" + key + "\",\"n\":" + perKey[key]++ + "}";
            messages.add(new Message("orders", "key-" + key, body.getBytes(StandardCharsets.UTF_8), Headers.EMPTY, null));
        }
        return messages;
    }

    private Pipeline start(MemorySource source, Sink sink, Sink deadLetter, KeySpec key, int maxInFlight,
                           RetryConfig retry) {
        return start(source, sink, deadLetter, key, maxInFlight, retry, PipelineConfig.OnPoison.DEAD_LETTER);
    }

    private Pipeline start(MemorySource source, Sink sink, Sink deadLetter, KeySpec key, int maxInFlight,
                           RetryConfig retry, PipelineConfig.OnPoison onPoison) {
        return start(source, sink, deadLetter, key, maxInFlight, 64L << 20, retry, onPoison);
    }

    private Pipeline start(MemorySource source, Sink sink, Sink deadLetter, KeySpec key, int maxInFlight,
                           long maxInFlightBytes, RetryConfig retry, PipelineConfig.OnPoison onPoison) {
        return start(source, sink, deadLetter, key, maxInFlight, maxInFlightBytes, retry, onPoison,
                PipelineConfig.DEFAULT_STALL_TIMEOUT);
    }

    private Pipeline start(MemorySource source, Sink sink, Sink deadLetter, KeySpec key, int maxInFlight,
                           long maxInFlightBytes, RetryConfig retry, PipelineConfig.OnPoison onPoison,
                           Duration stallTimeout) {
        PipelineConfig config = new PipelineConfig("test", spec(source), sinkSpec(sink),
                Optional.ofNullable(deadLetter).map(PipelineTest::sinkSpec), key, 8, maxInFlight, maxInFlightBytes,
                retry, SourceContext.Resume.STORE, onPoison, Duration.ofMillis(50), stallTimeout);
        if (store == null) {
            store = OffsetStores.create(new OffsetsConfig.File(dir.resolve("offsets.json"), Duration.ofMillis(50)));
        }
        Pipeline pipeline = new Pipeline(config, new OffsetStoreGate(store), "test-owner", metrics, timer,
                Clock.systemUTC(), Duration.ofSeconds(3), MemoryBudget.of(MemoryConfig.DEFAULT), SourceContext.DEFAULT_READ_AHEAD);
        running.add(pipeline);
        Thread.ofVirtual().start(pipeline::run);
        return pipeline;
    }

    private Pipeline startWithBudget(MemorySource source, Sink sink, Sink deadLetter, MemoryBudget budget) {
        PipelineConfig config = new PipelineConfig("test", spec(source), sinkSpec(sink),
                Optional.ofNullable(deadLetter).map(PipelineTest::sinkSpec), new KeySpec.Native(), 8, 1000, 64L << 20,
                QUICK_RETRIES, SourceContext.Resume.STORE, PipelineConfig.OnPoison.DEAD_LETTER, Duration.ofMillis(50),
                PipelineConfig.DEFAULT_STALL_TIMEOUT);
        store = OffsetStores.create(new OffsetsConfig.File(dir.resolve("offsets.json"), Duration.ofMillis(50)));
        Pipeline pipeline = new Pipeline(config, new OffsetStoreGate(store), "test-owner", PipelineMetrics.NONE, timer,
                Clock.systemUTC(), Duration.ofSeconds(3), budget, SourceContext.DEFAULT_READ_AHEAD);
        running.add(pipeline);
        Thread.ofVirtual().start(pipeline::run);
        return pipeline;
    }

    private static Connector.SourceSpec spec(Source source) {
        return new Connector.SourceSpec() {
            @Override public Source create() { return source; }
            @Override public String describe() { return "memory"; }
        };
    }

    private static Connector.SinkSpec sinkSpec(Sink sink) {
        return new Connector.SinkSpec() {
            @Override public Sink create() { return sink; }
            @Override public String describe() { return "scripted"; }
        };
    }

    private static void assertPerKeyOrder(List<String> payloads) {
        Map<String, Integer> last = new HashMap<>();
        for (String payload : payloads) {
            String key = payload.replaceAll(".*\"k\":\"([^\"]+)\".*", "$1");
            int n = Integer.parseInt(payload.replaceAll(".*\"n\":(\\d+).*", "$1"));
            Integer previous = last.put(key, n);
            assertThat(n).as("record %d of %s after record %s", n, key, previous)
                    .isEqualTo(previous == null ? 0 : previous + 1);
        }
    }

    /**
     * Runs the messages through a sink that fails every {@code every}-th attempt (retried); asserts that
     * each was delivered once, in per-key order, some of them after a retry.
     */
    private MemorySource deliverWhileTheSinkFailsEvery(int every, List<Message> messages) {
        MemorySource source = new MemorySource(messages);
        AtomicInteger attempts = new AtomicInteger();
        ScriptedSink sink = new ScriptedSink(r -> attempts.incrementAndGet() % every == 0
                ? new RetriableException("injected timeout") : null);
        start(source, sink, null, new KeySpec.Native(), 1000,
                new RetryConfig(1000, Duration.ofMillis(1), Duration.ofMillis(5), true));

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(sink.accepted).hasSize(messages.size()));
        assertPerKeyOrder(sink.payloads());
        assertThat(sink.payloads()).doesNotHaveDuplicates();
        assertThat(attempts.get()).isGreaterThan(messages.size());
        return source;
    }

    @Test
    void deliversEveryRecordOnceInPerKeyOrderWhileTheSinkFailsAtRandom() {
        List<Message> messages = keyed(20_000, 100);
        MemorySource source = deliverWhileTheSinkFailsEvery(10, messages);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(source.committed)
                .containsEntry("mem", new io.msgbridge.spi.Position("mem", "19999", 19_999)));
        assertThat(source.acked).hasSize(messages.size());
    }

    @Test
    void keepsPerKeyOrderWhileLanesForgetIdleKeys() {
        // Every other record has a key of its own: more idle keys than a lane keeps (4,096 in each of the
        // 8 lanes), so lanes forget idle keys again and again while the 20 hot keys between them have
        // records in flight and waiting, some of them being retried.
        List<Message> messages = new ArrayList<>();
        int[] perKey = new int[20];
        for (int i = 0; i < 120_000; i++) {
            String key = i % 2 == 0 ? "hot-" + (i / 2) % 20 : "cold-" + i;
            int n = i % 2 == 0 ? perKey[(i / 2) % 20]++ : 0;
            String body = "{\"k\":\"" + key + "\",\"n\":" + n + "}";
            messages.add(new Message("orders", key, body.getBytes(StandardCharsets.UTF_8), Headers.EMPTY, null));
        }
        deliverWhileTheSinkFailsEvery(7, messages);
    }

    @Test
    void neverHoldsMoreRecordsThanMaxInFlight() {
        MemorySource source = new MemorySource(keyed(5_000, 50));
        ScriptedSink sink = ScriptedSink.accepting();
        start(source, sink, null, new KeySpec.Native(), 64, RetryConfig.DEFAULT);

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(sink.accepted).hasSize(5_000));
        assertThat(source.maxPolledAhead.get()).isLessThanOrEqualTo(64);
    }

    @Test
    void deliversEveryRecordInOrderWhenOnePollHoldsMoreBytesThanMayBeInFlight() {
        List<Message> messages = keyed(2_000, 20);
        MemorySource source = new MemorySource(messages);
        ScriptedSink sink = ScriptedSink.accepting();
        start(source, sink, null, new KeySpec.Native(), 1000, 200, RetryConfig.DEFAULT,
                PipelineConfig.OnPoison.DEAD_LETTER);

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(sink.accepted).hasSize(messages.size()));
        assertPerKeyOrder(sink.payloads());
    }

    @Test
    void deadLettersPoisonRecordsWithTheirReasonAndKeepsTheOthersInOrder() {
        List<Message> messages = new ArrayList<>(keyed(1_000, 10));
        messages.add(100, new Message("orders", "key-x", "not json".getBytes(StandardCharsets.UTF_8), Headers.EMPTY, null));
        MemorySource source = new MemorySource(messages);
        String refused = new String(messages.get(200).payload(), StandardCharsets.UTF_8);
        ScriptedSink sink = new ScriptedSink(r -> new String(r.message().payload(), StandardCharsets.UTF_8).equals(refused)
                ? new PermanentException("message too large") : null);
        ScriptedSink deadLetter = ScriptedSink.accepting();
        start(source, sink, deadLetter, new KeySpec.JsonPointer("/k"), 1000, RetryConfig.DEFAULT);

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(deadLetter.accepted).hasSize(2);
            assertThat(sink.accepted).hasSize(999);
        });
        Map<String, OutboundRecord> byStage = new HashMap<>();
        deadLetter.accepted.forEach(r -> byStage.put(r.message().headers().first("bridge.error.stage").orElseThrow(), r));
        OutboundRecord keyFailure = byStage.get("key");
        assertThat(new String(keyFailure.message().payload(), StandardCharsets.UTF_8)).isEqualTo("not json");
        assertThat(keyFailure.message().headers().first("bridge.error.pipeline")).contains("test");
        assertThat(keyFailure.message().headers().first("bridge.error.position")).contains("100");
        assertThat(keyFailure.message().headers().first("bridge.error.message").orElseThrow()).contains("not JSON");
        OutboundRecord sinkFailure = byStage.get("sink");
        assertThat(sinkFailure.message().headers().first("bridge.error.message")).contains("message too large");
        assertThat(sinkFailure.message().headers().first("bridge.error.class")).contains(PermanentException.class.getName());
        List<String> delivered = new ArrayList<>(sink.payloads());
        assertPerKeyOrderSkipping(delivered, refused);
    }

    private static void assertPerKeyOrderSkipping(List<String> payloads, String skipped) {
        String key = skipped.replaceAll(".*\"k\":\"([^\"]+)\".*", "$1");
        int n = Integer.parseInt(skipped.replaceAll(".*\"n\":(\\d+).*", "$1"));
        List<String> withGapFilled = new ArrayList<>();
        for (String payload : payloads) {
            if (payload.contains("\"k\":\"" + key + "\"") && payload.contains("\"n\":" + (n + 1) + "}")) {
                withGapFilled.add(skipped);
            }
            withGapFilled.add(payload);
        }
        assertPerKeyOrder(withGapFilled);
    }

    @Test
    void holdsAndCommitsNothingPastARecordTheDeadLetterRouteRefusesThenMovesOnWhenItRecovers() {
        List<Message> messages = keyed(100, 5);
        MemorySource source = new MemorySource(messages);
        ScriptedSink sink = new ScriptedSink(r -> r.source().sequence() == 10 ? new PermanentException("refused") : null);
        AtomicInteger refusals = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean dlqUp = new java.util.concurrent.atomic.AtomicBoolean(false);
        ScriptedSink deadLetter = new ScriptedSink(r -> {
            if (dlqUp.get()) {
                return null;
            }
            refusals.incrementAndGet();
            return new RetriableException("dead-letter stream unavailable");
        });
        Pipeline pipeline = start(source, sink, deadLetter, new KeySpec.Native(), 1000,
                new RetryConfig(1, Duration.ofMillis(1), Duration.ofMillis(20), false));

        String heldKey = messages.get(10).key();
        long heldBehind = messages.subList(11, 100).stream().filter(m -> m.key().equals(heldKey)).count();
        await().atMost(DEADLINE).until(() -> refusals.get() >= 3 && sink.accepted.size() == 99 - heldBehind);
        assertThat(pipeline.status().ready()).isFalse();
        assertThat(pipeline.status().lastError()).contains("dead-letter stream unavailable");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(source.committed).containsKey("mem"));
        assertThat(source.committed.get("mem").sequence()).isLessThan(10);

        dlqUp.set(true);
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(deadLetter.accepted).hasSize(1);
            assertThat(source.committed.get("mem").sequence()).isEqualTo(99);
            assertThat(pipeline.status().ready()).isTrue();
        });
    }

    @Test
    void theReadyGaugeFollowsTheReadinessHealthChecksSee() {
        MetricRegistry registry = new MetricRegistry();
        metrics = new DropwizardPipelineMetrics(registry, "test");
        MemorySource source = new MemorySource(keyed(50, 5));
        ScriptedSink sink = ScriptedSink.accepting();
        sink.connected = false;
        Pipeline pipeline = start(source, sink, null, new KeySpec.Native(), 1000, QUICK_RETRIES);
        Supplier<Object> gauge = () -> registry.getGauges().get("bridge_ready.test").getValue();

        await().atMost(DEADLINE).until(() -> pipeline.status().state() == PipelineState.DEGRADED);
        assertThat(pipeline.status().ready()).isFalse();
        assertThat(gauge.get()).isEqualTo(0L);

        sink.connected = true;
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(pipeline.status().ready()).isTrue();
            assertThat(gauge.get()).isEqualTo(1L);
        });
    }

    @Test
    void waitsOutASinkOutageWithoutDeadLettering() {
        List<Message> messages = keyed(500, 10);
        MemorySource source = new MemorySource(messages);
        java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean(false);
        ScriptedSink sink = new ScriptedSink(r -> up.get() ? null : new RetriableException("connection refused"));
        sink.connected = false;
        ScriptedSink deadLetter = ScriptedSink.accepting();
        Pipeline pipeline = start(source, sink, deadLetter, new KeySpec.Native(), 1000,
                new RetryConfig(2, Duration.ofMillis(1), Duration.ofMillis(20), false));

        await().atMost(DEADLINE).until(() -> pipeline.status().recordsFailed() > 50);
        assertThat(pipeline.status().ready()).isFalse();
        up.set(true);
        sink.connected = true;

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(sink.accepted).hasSize(500));
        assertThat(deadLetter.accepted).isEmpty();
        assertPerKeyOrder(sink.payloads());
    }

    @Test
    void stopsWhileWaitingForRoomInBytesThatASinkConfirmingNothingNeverFrees() throws InterruptedException {
        MemorySource source = new MemorySource(keyed(1_000, 10));
        AtomicInteger published = new AtomicInteger();
        Sink silent = new Sink() {
            @Override public void start(SinkContext context) { }
            @Override public CompletableFuture<Void> publish(OutboundRecord record) {
                published.incrementAndGet();
                return new CompletableFuture<>();
            }
            @Override public boolean connected() { return true; }
            @Override public void close() { }
        };
        Pipeline pipeline = start(source, silent, null, new KeySpec.Native(), 1000, 200, RetryConfig.DEFAULT,
                PipelineConfig.OnPoison.DEAD_LETTER);
        await().atMost(DEADLINE).until(() -> published.get() > 0);

        pipeline.stop();

        assertThat(pipeline.awaitStopped(Duration.ofSeconds(20))).as("stopped although its sink confirmed nothing").isTrue();
        assertThat(source.acked).isEmpty();
        assertThat(source.committed).isEmpty();
    }

    @Test
    void resumesAfterTheCommittedPositionOnRestart() throws InterruptedException {
        List<Message> messages = keyed(300, 3);
        MemorySource first = new MemorySource(messages.subList(0, 300));
        ScriptedSink sink = ScriptedSink.accepting();
        Pipeline pipeline = start(first, sink, null, new KeySpec.Native(), 1000, RetryConfig.DEFAULT);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(sink.accepted).hasSize(300));
        pipeline.stop();
        assertThat(pipeline.awaitStopped(DEADLINE)).isTrue();
        assertThat(pipeline.status().state()).isEqualTo(PipelineState.STOPPED);

        Map<String, StoredOffset> stored = storeOffsets();
        assertThat(stored.get("mem").position().sequence()).isEqualTo(299);
        assertThat(stored.get("mem").records()).isEqualTo(300);

        MemorySource second = new MemorySource(messages);
        start(second, sink, null, new KeySpec.Native(), 1000, RetryConfig.DEFAULT);
        await().atMost(DEADLINE).until(() -> second.context != null);
        assertThat(second.context.stored().get("mem").sequence()).isEqualTo(299);
    }

    @Test
    void commitsRecordsArrivingAtAnIdlePipelineWithinACommitIntervalRatherThanItsIdleTick() throws InterruptedException {
        List<Message> messages = new CopyOnWriteArrayList<>(keyed(10, 2));
        MemorySource source = new MemorySource(messages);
        start(source, ScriptedSink.accepting(), null, new KeySpec.Native(), 1000, RetryConfig.DEFAULT);
        await().atMost(DEADLINE).until(() -> committedSequence(source) == 9);
        // Idle for ten commit intervals: nothing in flight, nothing to commit, the commit loop rests.
        Thread.sleep(500);

        long arrived = System.nanoTime();
        messages.addAll(keyed(10, 2));
        await().atMost(DEADLINE).until(() -> committedSequence(source) == 19);
        Duration toCommit = Duration.ofNanos(System.nanoTime() - arrived);

        assertThat(toCommit).as("from records arriving to their commit, with a commit interval of 50 ms and an idle tick of %s",
                Committer.RENEW_EVERY).isLessThan(Duration.ofSeconds(2));
    }

    private static long committedSequence(MemorySource source) {
        Position committed = source.committed.get("mem");
        return committed == null ? -1 : committed.sequence();
    }

    @Test
    void aCommitUnderWayWhenThePipelineStopsIsLetFinishSoNoRecordIsCountedTwice() throws InterruptedException {
        store = new SlowCommits(OffsetStores.create(new OffsetsConfig.File(dir.resolve("offsets.json"), Duration.ofMillis(50))));
        ScriptedSink sink = new ScriptedSink(r -> {
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
            return null;
        });
        Pipeline pipeline = start(new MemorySource(keyed(3000, 3)), sink, null, new KeySpec.Native(), 1000, RetryConfig.DEFAULT);
        await().atMost(DEADLINE).until(() -> sink.accepted.size() >= 1000);

        pipeline.stop();

        assertThat(pipeline.awaitStopped(DEADLINE)).isTrue();
        StoredOffset stored = storeOffsets().get("mem");
        assertThat(stored.records()).as("records committed, for a last position of %s", stored.position())
                .isEqualTo(stored.position().sequence() + 1);
    }

    /**
     * The file store with commits that take 100 ms; a commit whose thread is interrupted meanwhile is
     * stored but reported failed, as happens to a PostgreSQL commit whose socket an interrupt closes
     * (a virtual thread's socket is closed when the thread is interrupted in it) after the server
     * committed.
     */
    private static final class SlowCommits implements OffsetStore {
        private final OffsetStore store;

        SlowCommits(OffsetStore store) {
            this.store = store;
        }

        @Override
        public void commit(Claim claim, Collection<OffsetCommit> offsets, Optional<Set<String>> parkedKeys) throws OffsetStoreException {
            store.commit(claim, offsets, parkedKeys);
            long until = System.nanoTime() + Duration.ofMillis(100).toNanos();
            while (System.nanoTime() < until && !Thread.currentThread().isInterrupted()) {
                LockSupport.parkNanos(until - System.nanoTime());
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new OffsetStoreException("interrupted waiting for the answer to a commit", true, null);
            }
        }

        @Override public void open() throws OffsetStoreException { store.open(); }
        @Override public Claim claim(String pipeline, String owner, boolean shared) throws OffsetStoreException { return store.claim(pipeline, owner, shared); }
        @Override public void release(Claim claim) throws OffsetStoreException { store.release(claim); }
        @Override public Map<String, StoredOffset> load(String pipeline) throws OffsetStoreException { return store.load(pipeline); }
        @Override public SortedSet<String> parkedKeys(String pipeline) throws OffsetStoreException { return store.parkedKeys(pipeline); }
        @Override public List<StoredOffset> list(Optional<String> pipeline) throws OffsetStoreException { return store.list(pipeline); }
        @Override public void set(String pipeline, Position position) throws OffsetStoreException { store.set(pipeline, position); }
        @Override public void close() { store.close(); }
    }

    private static long keyCount(List<Message> messages, String key, int from) {
        return messages.subList(from, messages.size()).stream().filter(m -> m.key().equals(key)).count();
    }

    @Test
    void parksThePoisonedKeyWhileOtherKeysFlowAndReleasesItInOrder() {
        List<Message> messages = keyed(2_000, 20);
        MemorySource source = new MemorySource(messages);
        ScriptedSink sink = new ScriptedSink(r -> r.source().sequence() == 100 ? new PermanentException("refused") : null);
        ScriptedSink deadLetter = ScriptedSink.accepting();
        Pipeline pipeline = start(source, sink, deadLetter, new KeySpec.Native(), 5_000, RetryConfig.DEFAULT,
                PipelineConfig.OnPoison.PARK_KEY);
        String poisoned = messages.get(100).key();
        long held = keyCount(messages, poisoned, 101);

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(sink.accepted).hasSize((int) (2_000 - 1 - held));
            assertThat(pipeline.status().parkedKeys()).containsEntry(poisoned, (int) held);
        });
        assertThat(deadLetter.accepted).hasSize(1);
        assertThat(pipeline.status().ready()).isFalse();
        int firstHeld = 101;
        while (!messages.get(firstHeld).key().equals(poisoned)) {
            firstHeld++;
        }
        String firstHeldPayload = new String(messages.get(firstHeld).payload(), StandardCharsets.UTF_8);
        assertThat(sink.payloads()).doesNotContain(firstHeldPayload);
        assertThat(source.committed.getOrDefault("mem", new io.msgbridge.spi.Position("mem", "-1", -1)).sequence())
                .as("nothing committed past the first held record").isLessThan(firstHeld);

        assertThat(pipeline.unpark(poisoned, false)).isTrue();
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(sink.accepted).hasSize(1_999);
            assertThat(source.committed.get("mem").sequence()).isEqualTo(1_999);
        });
        assertThat(pipeline.status().parkedKeys()).isEmpty();
        assertThat(pipeline.status().ready()).isTrue();
        assertPerKeyOrderSkipping(sink.payloads(), new String(messages.get(100).payload(), StandardCharsets.UTF_8));
    }

    @Test
    void skippingAParkedKeySendsItsHeldRecordsToTheDeadLetterRoute() {
        List<Message> messages = keyed(500, 5);
        MemorySource source = new MemorySource(messages);
        ScriptedSink sink = new ScriptedSink(r -> r.source().sequence() == 10 ? new PermanentException("refused") : null);
        ScriptedSink deadLetter = ScriptedSink.accepting();
        Pipeline pipeline = start(source, sink, deadLetter, new KeySpec.Native(), 5_000, RetryConfig.DEFAULT,
                PipelineConfig.OnPoison.PARK_KEY);
        String poisoned = messages.get(10).key();
        long held = keyCount(messages, poisoned, 11);
        await().atMost(DEADLINE).until(() -> pipeline.status().parkedKeys().getOrDefault(poisoned, 0) == held);

        assertThat(pipeline.unpark("no-such-key", true)).isFalse();
        assertThat(pipeline.unpark(poisoned, true)).isTrue();

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(deadLetter.accepted).hasSize((int) held + 1);
            assertThat(source.committed.get("mem").sequence()).isEqualTo(499);
        });
        assertThat(sink.accepted).hasSize((int) (500 - 1 - held));
        assertThat(deadLetter.accepted.stream().skip(1).map(r -> r.message().headers().first("bridge.error.message")
                .orElseThrow())).allMatch(m -> m.contains("skipped by an operator"));
    }

    @Test
    void aParkedKeyStaysParkedAcrossARestartUntilReleased() throws Exception {
        List<Message> messages = keyed(500, 5);
        String poisoned = messages.get(10).key();
        long held = keyCount(messages, poisoned, 11);
        parkRecordTenAndStop(messages);
        assertThat(store.parkedKeys("test")).containsExactly(poisoned);
        long committed = storeOffsets().get("mem").position().sequence();
        List<String> heldPayloads = messages.subList((int) committed + 1, messages.size()).stream()
                .filter(m -> m.key().equals(poisoned)).map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
        assertThat(heldPayloads).hasSize((int) held);

        ScriptedSink sink = ScriptedSink.accepting();
        MemorySource again = new MemorySource(messages);
        Pipeline second = start(again, sink, ScriptedSink.accepting(), new KeySpec.Native(), 5_000, RetryConfig.DEFAULT,
                PipelineConfig.OnPoison.PARK_KEY);

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(second.status().parkedKeys()).containsEntry(poisoned, (int) held);
            assertThat(sink.accepted).hasSize(messages.size() - (int) committed - 1 - (int) held);
        });
        assertThat(sink.payloads()).doesNotContainAnyElementsOf(heldPayloads);
        assertThat(second.status().ready()).isFalse();

        assertThat(second.unpark(poisoned, false)).isTrue();
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(again.committed.get("mem").sequence()).isEqualTo(499);
            assertThat(store.parkedKeys("test")).isEmpty();
        });
        assertThat(sink.payloads().stream().filter(heldPayloads::contains).toList()).isEqualTo(heldPayloads);
        assertThat(second.status().parkedKeys()).isEmpty();
    }

    @Test
    void keysParkedBeforeAreLetGoWhenThePipelineNoLongerParks() throws Exception {
        List<Message> messages = keyed(100, 5);
        parkRecordTenAndStop(messages);
        long committed = storeOffsets().get("mem").position().sequence();

        ScriptedSink sink = ScriptedSink.accepting();
        MemorySource again = new MemorySource(messages);
        start(again, sink, ScriptedSink.accepting(), new KeySpec.Native(), 5_000, RetryConfig.DEFAULT,
                PipelineConfig.OnPoison.DEAD_LETTER);

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(sink.accepted).hasSize(messages.size() - (int) committed - 1);
            assertThat(store.parkedKeys("test")).isEmpty();
        });
        List<String> expected = messages.subList((int) committed + 1, messages.size()).stream()
                .map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
        assertThat(byKey(sink.payloads())).isEqualTo(byKey(expected));
    }

    /**
     * Runs a parking pipeline whose sink refuses record 10 for good until that record's key is parked
     * with all its later records held and the store has it parked, then stops it.
     */
    private void parkRecordTenAndStop(List<Message> messages) throws Exception {
        ScriptedSink refusing = new ScriptedSink(r -> r.source().sequence() == 10 ? new PermanentException("refused") : null);
        Pipeline pipeline = start(new MemorySource(messages), refusing, ScriptedSink.accepting(), new KeySpec.Native(), 5_000,
                RetryConfig.DEFAULT, PipelineConfig.OnPoison.PARK_KEY);
        String poisoned = messages.get(10).key();
        long held = keyCount(messages, poisoned, 11);
        await().atMost(DEADLINE).until(() -> pipeline.status().parkedKeys().getOrDefault(poisoned, 0) == held
                && store.parkedKeys("test").contains(poisoned));
        pipeline.stop();
        assertThat(pipeline.awaitStopped(DEADLINE)).isTrue();
    }

    private static final RetryConfig QUICK_RETRIES = new RetryConfig(5, Duration.ofMillis(1), Duration.ofMillis(5), true);

    /** Whether the record is one the window test fails: the first, a middle and the last of each window of 32. */
    private static boolean atAWindowEdge(OutboundRecord record) {
        long n = record.source().sequence() % 32;
        return n == 0 || n == 15 || n == 31;
    }

    /** Fails the first attempt at each record that {@code fails} picks, with {@code failure}. */
    private static Function<OutboundRecord, RuntimeException> firstAttemptFails(
            java.util.function.Predicate<OutboundRecord> fails, java.util.function.Supplier<RuntimeException> failure) {
        Set<String> tried = ConcurrentHashMap.newKeySet();
        return r -> fails.test(r) && tried.add(r.id()) ? failure.get() : null;
    }

    @ParameterizedTest(name = "window {0}")
    @ValueSource(ints = {1, 32, 256})
    void keepsOneKeysOrderAndLosesNothingWhenTheSinkFailsAtEveryPositionOfAWindow(int window) {
        List<Message> messages = keyed(3_000, 1);
        MemorySource source = new MemorySource(messages);
        OrderedSink sink = new OrderedSink(SinkOrdering.pipelined(window), true,
                firstAttemptFails(PipelineTest::atAWindowEdge, () -> new RetriableException("injected timeout")));
        start(source, sink, null, new KeySpec.Native(), 1000, QUICK_RETRIES);

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(source.acked).hasSize(messages.size()));
        assertThat(sink.payloads()).as("every record once, in order").hasSize(messages.size()).doesNotHaveDuplicates();
        assertPerKeyOrder(sink.payloads());
        assertThat(sink.mostUnconfirmed()).isLessThanOrEqualTo(window);
        if (window > 1) {
            assertThat(sink.mostUnconfirmed()).as("records of the one key in flight together").isGreaterThan(1);
        }
    }

    @ParameterizedTest(name = "window {0}")
    @ValueSource(ints = {1, 32})
    void deadLettersRecordsThatFailForGoodAtEveryPositionOfAWindowAndKeepsTheRestInOrder(int window) {
        List<Message> messages = keyed(2_000, 3);
        MemorySource source = new MemorySource(messages);
        OrderedSink sink = new OrderedSink(SinkOrdering.pipelined(window), true,
                r -> atAWindowEdge(r) ? new PermanentException("message too large") : null);
        ScriptedSink deadLetter = ScriptedSink.accepting();
        start(source, sink, deadLetter, new KeySpec.Native(), 1000, QUICK_RETRIES);

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(source.acked).hasSize(messages.size()));
        long failing = java.util.stream.LongStream.range(0, messages.size()).filter(n -> n % 32 == 0 || n % 32 == 15 || n % 32 == 31).count();
        assertThat(deadLetter.accepted).hasSize((int) failing);
        assertThat(sink.payloads()).hasSize(messages.size() - (int) failing).doesNotHaveDuplicates();
        List<String> all = new ArrayList<>(sink.payloads());
        deadLetter.accepted.forEach(r -> all.add(new String(r.message().payload(), StandardCharsets.UTF_8)));
        assertThat(all).as("nothing lost").hasSize(messages.size()).doesNotHaveDuplicates();
        byKey(sink.payloads()).values().forEach(delivered -> assertThat(delivered)
                .isSortedAccordingTo(java.util.Comparator.comparingInt(p -> Integer.parseInt(p.replaceAll(".*\"n\":(\\d+).*", "$1")))));
    }

    @Test
    void sendsAFailedRecordsSuccessorsAgainAfterItWhereTheSinkStoredThemMeanwhile() {
        List<Message> messages = keyed(1_000, 2);
        MemorySource source = new MemorySource(messages);
        OrderedSink sink = new OrderedSink(SinkOrdering.pipelined(64), false,
                firstAttemptFails(PipelineTest::atAWindowEdge, () -> new RetriableException("injected timeout")));
        start(source, sink, null, new KeySpec.Native(), 1000, QUICK_RETRIES);

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(source.acked).hasSize(messages.size()));
        assertThat(sink.payloads()).containsAll(messages.stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList());
        assertPerKeyOrder(lastCopies(sink.payloads()));
    }

    /** Each payload at its last occurrence, in the order of those. */
    private static List<String> lastCopies(List<String> payloads) {
        java.util.LinkedHashMap<String, Boolean> last = new java.util.LinkedHashMap<>();
        for (String payload : payloads) {
            last.remove(payload);
            last.put(payload, true);
        }
        return new ArrayList<>(last.keySet());
    }

    @Test
    void keepsEveryRecordOfASourcePartitionInOrderWhenTheSinkOrdersPerPartition() {
        List<Message> messages = keyed(3_000, 50);
        MemorySource source = new MemorySource(messages);
        OrderedSink sink = new OrderedSink(SinkOrdering.pipelined(128).perSourcePartition(), true,
                firstAttemptFails(r -> r.source().sequence() % 97 == 0, () -> new RetriableException("injected timeout")));
        start(source, sink, null, new KeySpec.Native(), 1000, QUICK_RETRIES);

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(source.acked).hasSize(messages.size()));
        assertThat(sink.stored()).extracting(r -> r.source().sequence())
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, messages.size()).boxed().toList());
        assertThat(sink.stored()).extracting(OutboundRecord::key).contains("key-0", "key-49");
    }

    @Test
    void keepsRecordsWithoutAKeyInTheirPartitionsOrderAndPublishesThemWithoutOne() {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            messages.add(Message.of("orders", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
        }
        MemorySource source = new MemorySource(messages);
        OrderedSink sink = new OrderedSink(SinkOrdering.pipelined(64), true,
                firstAttemptFails(r -> r.source().sequence() % 101 == 0, () -> new RetriableException("injected timeout")));
        start(source, sink, null, new KeySpec.Native(), 1000, QUICK_RETRIES);

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(source.acked).hasSize(messages.size()));
        assertThat(sink.stored()).extracting(r -> r.source().sequence())
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, messages.size()).boxed().toList());
        assertThat(sink.stored()).extracting(OutboundRecord::key).containsOnlyNulls();
    }

    @Test
    void writesTheKeyThePipelineComputedAsTheDestinationKey() {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            messages.add(Message.of("orders", ("{\"id\":\"doc-" + (i % 7) + "\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
        }
        MemorySource source = new MemorySource(messages);
        OrderedSink sink = new OrderedSink(SinkOrdering.pipelined(16), true, r -> null);
        start(source, sink, null, new KeySpec.JsonPointer("/id"), 1000, QUICK_RETRIES);

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(sink.stored()).hasSize(200));
        for (OutboundRecord record : sink.stored()) {
            assertThat(record.key()).isEqualTo("doc-" + record.source().sequence() % 7);
            assertThat(record.message().key()).as("the source's own key is left as it was").isNull();
        }
    }

    @Test
    void neverPublishesARecordWhoseKeyCannotBeComputedWhenThereIsNoDeadLetterRoute() {
        List<Message> messages = new ArrayList<>(keyed(100, 4));
        messages.add(50, Message.of("orders", "not json".getBytes(StandardCharsets.UTF_8)));
        MemorySource source = new MemorySource(messages);
        OrderedSink sink = new OrderedSink(SinkOrdering.pipelined(16), true, r -> null);
        Pipeline pipeline = start(source, sink, null, new KeySpec.JsonPointer("/k"), 1000,
                new RetryConfig(2, Duration.ofMillis(1), Duration.ofMillis(20), false));

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(sink.stored()).hasSize(100);
            assertThat(pipeline.status().ready()).isFalse();
            assertThat(pipeline.status().lastError()).contains("holding record mem@50").contains("not JSON");
            assertThat(pipeline.status().reason()).isEqualTo("holding 1 failed record that can go nowhere: see the last error");
        });
        await().during(Duration.ofMillis(300)).atMost(DEADLINE).untilAsserted(() ->
                assertThat(sink.payloads()).doesNotContain("not json"));
        assertThat(source.committed.getOrDefault("mem", new io.msgbridge.spi.Position("mem", "-1", -1)).sequence())
                .as("nothing committed past the held record").isLessThan(50);
    }

    @Test
    void retriesAnUnavailableDestinationWithoutDeadLetteringAndIsNotReadyMeanwhile() {
        List<Message> messages = keyed(300, 3);
        MemorySource source = new MemorySource(messages);
        java.util.concurrent.atomic.AtomicBoolean exists = new java.util.concurrent.atomic.AtomicBoolean(false);
        OrderedSink sink = new OrderedSink(SinkOrdering.pipelined(16), true, r -> exists.get() ? null
                : RetriableException.unavailable("no stream captures subject orders", null));
        ScriptedSink deadLetter = ScriptedSink.accepting();
        Pipeline pipeline = start(source, sink, deadLetter, new KeySpec.Native(), 1000,
                new RetryConfig(2, Duration.ofMillis(1), Duration.ofMillis(20), false));

        await().atMost(DEADLINE).until(() -> pipeline.status().recordsFailed() > 20);
        assertThat(pipeline.status().ready()).isFalse();
        assertThat(pipeline.status().reason()).isEqualTo("destination unavailable: no stream captures subject orders");
        assertThat(pipeline.status().lastError()).as("the error itself, apart from the reason")
                .doesNotContain("destination unavailable").contains("no stream captures subject orders");
        assertThat(pipeline.status().lastErrorAt()).isNotNull();
        exists.set(true);

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(sink.stored()).hasSize(300);
            assertThat(pipeline.status().ready()).isTrue();
        });
        assertThat(deadLetter.accepted).isEmpty();
        assertPerKeyOrder(sink.payloads());
    }

    @Test
    void deadLettersAMessageLargerThanTheWholeMemoryBudgetAndKeepsMoving() {
        List<Message> messages = new ArrayList<>(keyed(50, 2));
        messages.add(20, new Message("orders", "key-0", new byte[3 << 20], Headers.EMPTY, null));
        MemorySource source = new MemorySource(messages);
        OrderedSink sink = new OrderedSink(SinkOrdering.pipelined(8), true, r -> null);
        ScriptedSink deadLetter = ScriptedSink.accepting();
        startWithBudget(source, sink, deadLetter, new MemoryBudget(2L << 20));

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(sink.stored()).hasSize(50);
            assertThat(deadLetter.accepted).hasSize(1);
        });
        OutboundRecord tooLarge = deadLetter.accepted.peek();
        assertThat(tooLarge.message().headers().first("bridge.error.stage")).contains("source");
        assertThat(tooLarge.message().headers().first("bridge.error.message").orElseThrow())
                .contains("larger than the daemon's whole memory budget of 2MiB").contains("raise memory:");
    }

    @Test
    void isReadyAgainOnceAnUnavailableDeadLetterRouteTakesTheLastHeldRecord() {
        List<Message> messages = keyed(50, 2);
        MemorySource source = new MemorySource(messages);
        OrderedSink sink = new OrderedSink(SinkOrdering.pipelined(8), true,
                r -> r.source().sequence() == 49 ? new PermanentException("too large") : null);
        java.util.concurrent.atomic.AtomicBoolean routeUp = new java.util.concurrent.atomic.AtomicBoolean(false);
        ScriptedSink deadLetter = new ScriptedSink(r -> routeUp.get() ? null
                : RetriableException.unavailable("dead-letter stream unreachable", null));
        Pipeline pipeline = start(source, sink, deadLetter, new KeySpec.Native(), 1000,
                new RetryConfig(2, Duration.ofMillis(1), Duration.ofMillis(20), false));

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(sink.stored()).hasSize(49);
            assertThat(pipeline.status().ready()).isFalse();
        });
        routeUp.set(true);

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(deadLetter.accepted).hasSize(1);
            assertThat(pipeline.status().ready()).as(String.valueOf(pipeline.status().lastError())).isTrue();
        });
    }

    @Test
    void anOffsetsFileThatCannotBeReadFailsThePipelineWithTheFixInsteadOfWaiting() throws Exception {
        Path file = dir.resolve("offsets.json");
        Files.writeString(file, "{ not json");
        store = OffsetStores.create(new OffsetsConfig.File(file, Duration.ofMillis(50)));
        Pipeline pipeline = start(new MemorySource(keyed(10, 2)), new ScriptedSink(r -> null), null, new KeySpec.Native(),
                1000, QUICK_RETRIES);

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(pipeline.status().state()).isEqualTo(PipelineState.FAILED));
        assertThat(pipeline.status().lastError()).startsWith("claiming pipeline in the offset store failed: offsets file "
                + file + " is not valid: ").endsWith("; fix or move it away (positions will then start over)");
        assertThat(pipeline.failedRestartably()).as("a changed file cures it, not a restart").isFalse();
    }

    @Test
    void anOffsetsFileHeldByAnotherDaemonIsWaitedForAndTakenWhenReleased() throws Exception {
        OffsetStore holder = OffsetStores.create(new OffsetsConfig.File(dir.resolve("offsets.json"), Duration.ofMillis(50)));
        holder.open();
        MemorySource source = new MemorySource(keyed(10, 2));
        ScriptedSink sink = new ScriptedSink(r -> null);
        Pipeline pipeline;
        try {
            pipeline = start(source, sink, null, new KeySpec.Native(), 1000, QUICK_RETRIES);
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(pipeline.status().lastError())
                    .contains("is in use by another daemon").contains("stop the other one, or use PostgreSQL offsets"));
            assertThat(pipeline.status().state()).isEqualTo(PipelineState.STARTING);
        } finally {
            holder.close();
        }

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(sink.accepted).hasSize(10));
        assertThat(pipeline.status().state()).isEqualTo(PipelineState.RUNNING);
    }

    @Test
    void failsThePipelineWhenALaneDies() {
        MemorySource source = new MemorySource(keyed(100, 4));
        Sink broken = new Sink() {
            @Override public void start(SinkContext context) { }
            @Override public CompletableFuture<Void> publish(OutboundRecord record) {
                return CompletableFuture.failedFuture(new RetriableException("timeout"));
            }
            @Override public boolean connected() {
                throw new IllegalStateException("client bug");
            }
            @Override public void close() { }
        };
        Pipeline pipeline = start(source, broken, null, new KeySpec.Native(), 1000, QUICK_RETRIES);

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(pipeline.status().state()).isEqualTo(PipelineState.FAILED);
            assertThat(pipeline.status().lastError()).contains("a lane stopped by an unexpected error").contains("client bug");
        });
        assertThat(pipeline.status().ready()).isFalse();
    }

    @Test
    void reportsAStallNamingThePositionWhenARecordWaitsLongerThanTheStallTimeout() {
        MemorySource source = new MemorySource(keyed(10, 2));
        Sink silent = new Sink() {
            @Override public void start(SinkContext context) { }
            @Override public CompletableFuture<Void> publish(OutboundRecord record) {
                return new CompletableFuture<>();
            }
            @Override public boolean connected() { return true; }
            @Override public void close() { }
        };
        Pipeline pipeline = start(source, silent, null, new KeySpec.Native(), 1000, 1L << 20, RetryConfig.DEFAULT,
                PipelineConfig.OnPoison.DEAD_LETTER, Duration.ofSeconds(1));

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(pipeline.status().ready()).isFalse();
            assertThat(pipeline.status().reason()).contains("stalled: record mem@0 has waited");
        });
    }

    /** Payloads grouped by their key, each group in the order given. */
    private static Map<String, List<String>> byKey(List<String> payloads) {
        return payloads.stream().collect(java.util.stream.Collectors.groupingBy(
                p -> p.replaceAll(".*\"k\":\"([^\"]+)\".*", "$1"), java.util.stream.Collectors.toList()));
    }

    private Map<String, StoredOffset> storeOffsets() {
        try {
            return store.load("test");
        } catch (io.msgbridge.offsets.OffsetStoreException e) {
            throw new AssertionError(e);
        }
    }
}
