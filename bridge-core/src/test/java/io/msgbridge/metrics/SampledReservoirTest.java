package io.msgbridge.metrics;

import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SampledReservoirTest {

    @Test
    void keepsEveryValueOfAQuietPipeline() {
        Timer timer = new Timer(new SampledReservoir());
        for (int i = 1; i <= 100; i++) {
            timer.update(i, TimeUnit.MILLISECONDS);
        }

        assertThat(timer.getSnapshot().size()).isEqualTo(100);
        assertThat(timer.getSnapshot().getMax()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    }

    @Test
    void onceFullKeepsAboutOneInEightWhileTheTimerCountsEveryValue() {
        SampledReservoir reservoir = new SampledReservoir();
        Timer timer = new Timer(reservoir);
        for (int i = 0; i < SampledReservoir.FULL; i++) {
            timer.update(0, TimeUnit.MILLISECONDS);
        }
        for (int i = 1; i <= 80_000; i++) {
            timer.update(i, TimeUnit.MILLISECONDS);
        }
        Snapshot snapshot = timer.getSnapshot();

        assertThat(timer.getCount()).isEqualTo(SampledReservoir.FULL + 80_000);
        assertThat(snapshot.size()).isEqualTo(SampledReservoir.FULL);
        assertThat(snapshot.getMedian() / 1e6).isCloseTo(40_000, within(8_000.0));
        assertThat(snapshot.get99thPercentile() / 1e6).isCloseTo(79_200, within(2_000.0));
    }
}
