package io.msgbridge.metrics;

import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SampledReservoirTest {

    @Test
    void keepsAboutOneInEightValuesWhileTheTimerCountsEveryOne() {
        Timer timer = new Timer(new SampledReservoir());
        for (int i = 1; i <= 8000; i++) {
            timer.update(i, TimeUnit.MILLISECONDS);
        }
        Snapshot snapshot = timer.getSnapshot();

        assertThat(timer.getCount()).isEqualTo(8000);
        assertThat(snapshot.size()).isBetween(800, 1200);
        assertThat(snapshot.getMedian() / 1e6).isCloseTo(4000, within(600.0));
        assertThat(snapshot.get99thPercentile() / 1e6).isCloseTo(7920, within(200.0));
    }
}
