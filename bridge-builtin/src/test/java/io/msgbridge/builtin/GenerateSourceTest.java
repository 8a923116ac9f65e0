package io.msgbridge.builtin;

import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The generate source on its own. The shared {@code SourceContract} needs a broker to write into, which a
 * generator has not; these tests hold it to the same promises that apply (order, positions, poll bounds,
 * close) and to its own (numbering, keys, resume, count, rate).
 */
class GenerateSourceTest {
    private final List<GenerateSource> sources = new ArrayList<>();

    @AfterEach
    void close() {
        sources.forEach(GenerateSource::close);
    }

    private static GenerateOptions options(OptionalLong count, OptionalDouble rate, int keys, String payload) {
        return new GenerateOptions("orders", count, rate, keys, new PayloadTemplate(payload, OptionalInt.empty()));
    }

    private GenerateSource started(GenerateOptions options, SourceContext context) {
        GenerateSource source = new GenerateSource(options);
        sources.add(source);
        source.start(context);
        return source;
    }

    private static SourceContext fresh() {
        return new SourceContext("p", SourceContext.Resume.STORE, Map.of(), 1000);
    }

    private static List<SourceRecord> pollUntil(GenerateSource source, int count) throws InterruptedException {
        List<SourceRecord> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            records.addAll(source.poll(count - records.size(), Duration.ofMillis(200)));
        }
        assertThat(records).as("records within 20 s").hasSize(count);
        return records;
    }

    private static String payload(SourceRecord record) {
        return new String(record.message().payload(), StandardCharsets.UTF_8);
    }

    @Test
    void recordsAreNumberedFromOneWithKeysInTurnAndTheSequenceAsPosition() throws Exception {
        GenerateSource source = started(options(OptionalLong.empty(), OptionalDouble.empty(), 3, "{key}#{seq}"), fresh());

        List<SourceRecord> records = pollUntil(source, 7);

        assertThat(records).extracting(GenerateSourceTest::payload)
                .containsExactly("key-1#1", "key-2#2", "key-3#3", "key-1#4", "key-2#5", "key-3#6", "key-1#7");
        assertThat(records).extracting(r -> r.message().key())
                .containsExactly("key-1", "key-2", "key-3", "key-1", "key-2", "key-3", "key-1");
        assertThat(records).extracting(SourceRecord::position)
                .containsExactly(java.util.stream.LongStream.rangeClosed(1, 7).mapToObj(s -> new Position("orders", Long.toString(s), s))
                        .toArray(Position[]::new));
        assertThat(records).allSatisfy(r -> {
            assertThat(r.message().topic()).isEqualTo("orders");
            assertThat(r.message().headers().isEmpty()).isTrue();
            assertThat(r.message().eventTime()).isNotNull();
            assertThat(r.attempts()).isEqualTo(1);
        });
    }

    @Test
    void withResumeStoreItGoesOnAfterTheStoredPositionAndMakesTheSameRecordsAgain() throws Exception {
        GenerateOptions options = options(OptionalLong.empty(), OptionalDouble.empty(), 4, "{key}#{seq}");
        List<String> before = pollUntil(started(options, fresh()), 60).stream().map(GenerateSourceTest::payload).toList();

        GenerateSource resumed = started(options, new SourceContext("p", SourceContext.Resume.STORE,
                Map.of("orders", new Position("orders", "41", 41)), 1000));

        List<SourceRecord> after = pollUntil(resumed, 19);
        assertThat(after.get(0).position().sequence()).isEqualTo(42);
        assertThat(after).extracting(GenerateSourceTest::payload).containsExactlyElementsOf(before.subList(41, 60));
    }

    @Test
    void withResumeBrokerItStartsAtOneAsThereIsNoBrokerToRemember() throws Exception {
        GenerateSource source = started(options(OptionalLong.empty(), OptionalDouble.empty(), 4, "{seq}"),
                new SourceContext("p", SourceContext.Resume.BROKER, Map.of("orders", new Position("orders", "41", 41)), 1000));

        assertThat(pollUntil(source, 1).get(0).position().sequence()).isEqualTo(1);
    }

    @Test
    void aStoredPositionThatIsNoSequenceNumberFailsTheStartWithTheFix() {
        GenerateSource source = new GenerateSource(options(OptionalLong.empty(), OptionalDouble.empty(), 1, "x"));
        sources.add(source);

        assertThatThrownBy(() -> source.start(new SourceContext("p", SourceContext.Resume.STORE,
                Map.of("orders", new Position("orders", "abc", Position.NO_SEQUENCE)), 1000)))
                .isInstanceOf(PermanentException.class)
                .hasMessage("generate:orders: the stored position orders@abc is not a sequence number (a whole number, 0 or more); "
                        + "set it right with 'bridge offsets set'");
    }

    @Test
    void itStopsAtTheCountThenPollsReturnNothingInTimeAndTheLagIsZero() throws Exception {
        GenerateSource source = started(options(OptionalLong.of(25), OptionalDouble.empty(), 2, "{seq}"), fresh());
        assertThat(source.lag()).isEqualTo(25);

        List<SourceRecord> records = pollUntil(source, 25);
        long start = System.nanoTime();
        List<SourceRecord> more = source.poll(10, Duration.ofMillis(300));

        assertThat(records.get(24).position().sequence()).isEqualTo(25);
        assertThat(more).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
        assertThat(source.lag()).isZero();
    }

    @Test
    void theCountIsTheLastSequenceNumberSoAResumedSourceMakesOnlyWhatIsLeft() throws Exception {
        GenerateSource source = started(options(OptionalLong.of(10), OptionalDouble.empty(), 2, "{seq}"),
                new SourceContext("p", SourceContext.Resume.STORE, Map.of("orders", new Position("orders", "8", 8)), 1000));

        assertThat(source.poll(100, Duration.ofMillis(100))).extracting(GenerateSourceTest::payload).containsExactly("9", "10");
    }

    @Test
    void atARateRecordsComeNoFasterThanIt() throws Exception {
        GenerateSource source = started(options(OptionalLong.empty(), OptionalDouble.of(50), 1, "{seq}"), fresh());
        long start = System.nanoTime();

        pollUntil(source, 26);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the 26th record is due 0.5 s after the first")
                .isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void pollReturnsAtMostMaxRecordsAndAboutTheReadAheadInBytes() throws Exception {
        GenerateSource source = started(new GenerateOptions("orders", OptionalLong.empty(), OptionalDouble.empty(), 1,
                new PayloadTemplate("x", OptionalInt.of(1000))), new SourceContext("p", SourceContext.Resume.STORE, Map.of(), 1000, 10_000));

        assertThat(source.poll(5, Duration.ofMillis(200))).hasSize(5);
        assertThat(source.poll(1000, Duration.ofMillis(200))).hasSize(10);
    }

    @Test
    void closeMakesABlockedPollReturnPromptly() throws Exception {
        GenerateSource source = started(options(OptionalLong.of(1), OptionalDouble.empty(), 1, "x"), fresh());
        pollUntil(source, 1);
        CompletableFuture<List<SourceRecord>> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return source.poll(10, Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        });
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !poll.isDone());

        source.close();

        assertThat(poll).succeedsWithin(5, TimeUnit.SECONDS);
    }

    @Test
    void isConnectedAfterStartAndNotAfterCloseWhichIsIdempotent() {
        GenerateSource unstarted = new GenerateSource(options(OptionalLong.empty(), OptionalDouble.empty(), 1, "x"));
        unstarted.close();
        assertThat(unstarted.connected()).isFalse();

        GenerateSource source = started(options(OptionalLong.empty(), OptionalDouble.empty(), 1, "x"), fresh());
        assertThat(source.connected()).isTrue();
        source.close();
        source.close();
        assertThat(source.connected()).isFalse();
    }
}
