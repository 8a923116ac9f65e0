package io.msgbridge.metrics;

import com.codahale.metrics.Clock;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BucketReservoirTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void countsEveryValueAndGivesQuantilesWithinThreePercent() {
        Timer timer = new Timer(new BucketReservoir(clock));
        for (int i = 1; i <= 100_000; i++) {
            timer.update(i, TimeUnit.MICROSECONDS);
        }
        Snapshot snapshot = timer.getSnapshot();

        assertThat(timer.getCount()).isEqualTo(100_000);
        assertThat(snapshot.size()).isEqualTo(100_000);
        assertThat(snapshot.getMedian() / 1e3).isCloseTo(50_000, within(1_500.0));
        assertThat(snapshot.get99thPercentile() / 1e3).isCloseTo(99_000, within(3_000.0));
        assertThat(snapshot.get999thPercentile() / 1e3).isCloseTo(99_900, within(3_000.0));
        assertThat(snapshot.getMax() / 1e3).isCloseTo(100_000, within(3_000.0));
        assertThat(snapshot.getMin() / 1e3).isCloseTo(1, within(0.03));
        assertThat(snapshot.getMean() / 1e3).isCloseTo(50_000, within(1_500.0));
    }

    @Test
    void aQuietPipelinesFewValuesAllCount() {
        Timer timer = new Timer(new BucketReservoir(clock));
        for (int ms = 1; ms <= 10; ms++) {
            timer.update(ms, TimeUnit.MILLISECONDS);
        }
        Snapshot snapshot = timer.getSnapshot();

        assertThat(snapshot.size()).isEqualTo(10);
        assertThat(snapshot.getValues()).hasSize(10);
        assertThat(snapshot.getValue(0.9) / 1e6).isCloseTo(9, within(0.3));
        assertThat(snapshot.getMax() / 1e6).isCloseTo(10, within(0.3));
    }

    @Test
    void aSnapshotCoversTheLastWindowNotTheWholeRun() {
        BucketReservoir reservoir = new BucketReservoir(clock);
        for (int i = 0; i < 1000; i++) {
            reservoir.update(TimeUnit.SECONDS.toNanos(5));
        }
        assertThat(reservoir.getSnapshot().getMedian() / 1e9).isCloseTo(5, within(0.2));

        clock.advance(BucketReservoir.WINDOW.toNanos());
        for (int i = 0; i < 10; i++) {
            reservoir.update(TimeUnit.MILLISECONDS.toNanos(2));
        }
        Snapshot later = reservoir.getSnapshot();

        assertThat(later.size()).isEqualTo(10);
        assertThat(later.getMax() / 1e6).isCloseTo(2, within(0.1));
    }

    @Test
    void bucketsCoverEveryLongWithTheirMiddleWithinThreePercent() {
        for (long value : new long[] {0, 1, 31, 32, 33, 63, 64, 1_000, 123_456_789, Long.MAX_VALUE / 3, Long.MAX_VALUE}) {
            int bucket = BucketReservoir.bucket(value);
            assertThat(BucketReservoir.lowest(bucket)).as("lowest of %d's bucket", value).isLessThanOrEqualTo(value);
            assertThat((double) BucketReservoir.middle(bucket)).as("middle of %d's bucket", value)
                    .isCloseTo((double) value, within(Math.max(0.5, value * 0.0313)));
        }
        assertThat(BucketReservoir.bucket(Long.MAX_VALUE)).isEqualTo(BucketReservoir.bucket(Long.MAX_VALUE - 1));
        for (int bucket = 1; bucket <= BucketReservoir.bucket(Long.MAX_VALUE); bucket++) {
            assertThat(BucketReservoir.lowest(bucket)).as("bucket %d starts after bucket %d", bucket, bucket - 1)
                    .isGreaterThan(BucketReservoir.lowest(bucket - 1));
            assertThat(BucketReservoir.bucket(BucketReservoir.lowest(bucket))).isEqualTo(bucket);
        }
    }

    private static final class ManualClock extends Clock {
        private long tick;

        void advance(long nanos) {
            tick += nanos;
        }

        @Override
        public long getTick() {
            return tick;
        }
    }
}
