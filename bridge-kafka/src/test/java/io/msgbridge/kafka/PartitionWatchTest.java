package io.msgbridge.kafka;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionWatchTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private final TopicPartition p0 = new TopicPartition("orders", 0);
    private final TopicPartition p1 = new TopicPartition("orders", 1);
    private final PartitionWatch watch = new PartitionWatch(Duration.ofSeconds(30));

    @Test
    void countsWhatIsLeftFromTheEndOffsetsOnceTheyAreKnown() {
        assertThat(watch.behind(p0, 10)).isEqualTo(-1);
        watch.ends(Map.of(p0, 25L));
        assertThat(watch.behind(p0, 10)).isEqualTo(15);
        assertThat(watch.behind(p0, 30)).as("the end listed before records were fetched past it").isZero();
        assertThat(watch.behind(p0, -1)).as("no position yet").isEqualTo(-1);
    }

    @Test
    void aPartitionWithRecordsLeftThatDoesNotMoveWhileFetchingIsStuckAfterTheTimeoutAndOnlyItIsReported() {
        watch.ends(Map.of(p0, 100L, p1, 100L));
        watch.observe(Map.of(p0, 40L, p1, 40L), true, 0);
        assertThat(watch.observe(Map.of(p0, 40L, p1, 70L), true, 29 * SECOND)).isEmpty();
        var stuck = watch.observe(Map.of(p0, 40L, p1, 90L), true, 30 * SECOND);
        assertThat(stuck).singleElement().satisfies(s -> {
            assertThat(s.partition()).isEqualTo(p0);
            assertThat(s.position()).isEqualTo(40);
            assertThat(s.end()).isEqualTo(100);
            assertThat(s.idle()).isEqualTo(Duration.ofSeconds(30));
        });
        assertThat(watch.observe(Map.of(p0, 40L, p1, 95L), true, 31 * SECOND)).as("reported once, then its clock restarts").isEmpty();
    }

    @Test
    void aPausedConsumerOrAPartitionAtItsEndIsNeverStuck() {
        watch.ends(Map.of(p0, 100L, p1, 50L));
        watch.observe(Map.of(p0, 40L, p1, 50L), true, 0);
        watch.observe(Map.of(p0, 40L, p1, 50L), false, 20 * SECOND);
        assertThat(watch.observe(Map.of(p0, 40L, p1, 50L), true, 45 * SECOND)).as("paused 20 s ago: 25 s idle").isEmpty();
        assertThat(watch.observe(Map.of(p0, 40L, p1, 50L), true, 50 * SECOND)).extracting(PartitionWatch.Stuck::partition)
                .as("p1 is at its end").containsExactly(p0);
    }

    @Test
    void aPartitionWithoutPositionIsStuckOnceItsEndIsKnownAndItStaysWithoutOneForTheTimeout() {
        watch.observe(Map.of(p0, -1L), true, 0);
        assertThat(watch.observe(Map.of(p0, -1L), true, 60 * SECOND)).as("end unknown: the broker may be away").isEmpty();
        watch.ends(Map.of(p0, 100L));
        assertThat(watch.observe(Map.of(p0, -1L), true, 89 * SECOND)).isEmpty();
        assertThat(watch.observe(Map.of(p0, -1L), true, 90 * SECOND)).singleElement()
                .satisfies(s -> assertThat(s.position()).isEqualTo(-1));
    }
}
