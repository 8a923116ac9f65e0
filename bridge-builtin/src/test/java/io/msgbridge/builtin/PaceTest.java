package io.msgbridge.builtin;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaceTest {
    private final AtomicLong now = new AtomicLong(-5_000_000_000L);

    @Test
    void theFirstRecordIsDueAtOnceAndTheNextOnesOnePerIntervalOfTheRate() {
        Pace pace = new Pace(4, now::get);
        pace.start();

        assertThat(pace.dueBy()).isEqualTo(1);
        assertThat(pace.nanosUntil(0)).isZero();
        assertThat(pace.nanosUntil(1)).isEqualTo(250_000_000L);

        now.addAndGet(249_999_999L);
        assertThat(pace.dueBy()).isEqualTo(1);
        now.addAndGet(1);
        assertThat(pace.dueBy()).isEqualTo(2);
        assertThat(pace.nanosUntil(1)).isZero();
        assertThat(pace.nanosUntil(4)).isEqualTo(750_000_000L);
    }

    @Test
    void recordsThatCameDueWhileNobodyAskedWaitAsABacklogRatherThanBeingSkipped() {
        Pace pace = new Pace(100, now::get);
        pace.start();

        now.addAndGet(10_000_000_000L);

        assertThat(pace.dueBy()).isEqualTo(1001);
    }

    @Test
    void aRateBelowOnePerSecondSpacesRecordsBySeconds() {
        Pace pace = new Pace(0.5, now::get);
        pace.start();

        assertThat(pace.nanosUntil(1)).isEqualTo(2_000_000_000L);
        now.addAndGet(2_000_000_000L);
        assertThat(pace.dueBy()).isEqualTo(2);
    }

    @Test
    void aRateMustBePositive() {
        assertThatThrownBy(() -> new Pace(0, now::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pace(Double.NaN, now::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
