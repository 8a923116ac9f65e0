package io.msgbridge.backend;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class OutageLogTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void summariesComeAfterThirtySecondsThenAtDoublingIntervalsUpToTenMinutes() {
        long began = 1_000 * SECOND;
        OutageLog outage = new OutageLog(began);
        assertThat(outage.summaryDue(began + 29 * SECOND)).isFalse();
        assertThat(outage.summaryDue(began + 30 * SECOND)).isTrue();
        assertThat(outage.nextSummaryIn()).isEqualTo("1m");
        assertThat(outage.summaryDue(began + 89 * SECOND)).isFalse();
        assertThat(outage.summaryDue(began + 90 * SECOND)).isTrue();
        assertThat(outage.nextSummaryIn()).isEqualTo("2m");
        long now = began + 90 * SECOND;
        for (int i = 0; i < 10; i++) {
            now += Duration.ofMinutes(10).toNanos();
            assertThat(outage.summaryDue(now)).isTrue();
        }
        assertThat(outage.nextSummaryIn()).as("at most ten minutes apart").isEqualTo("10m");
        assertThat(outage.lasted(began + 61 * SECOND + SECOND / 2)).isEqualTo("61s");
    }
}
