package io.msgbridge.runtime;

import io.msgbridge.offsets.OffsetStoreException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RetryingTest {
    private final List<Duration> waits = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final Retrying retrying = new Retrying(() -> false, errors::add, waits::add);

    /** A step that fails with each of {@code failures} in turn, then returns "done". */
    private static Retrying.Step<String> failingWith(Exception... failures) {
        AtomicInteger calls = new AtomicInteger();
        return () -> {
            int call = calls.getAndIncrement();
            if (call < failures.length) {
                throw failures[call];
            }
            return "done";
        };
    }

    @Test
    void aRefusedClaimIsAskedForAgainWhenTheLeaseExpires() throws Exception {
        OffsetStoreException refused = new OffsetStoreException("pipeline orders is claimed by host-b (epoch 3)",
                Duration.ofMillis(700));

        String result = retrying.call("claiming pipeline", failingWith(refused));

        assertThat(result).isEqualTo("done");
        assertThat(waits).containsExactly(Duration.ofMillis(700).plus(Retrying.EXPIRY_MARGIN));
        assertThat(errors).containsExactly("claiming pipeline failed: pipeline orders is claimed by host-b (epoch 3)");
    }

    @Test
    void aLeaseFarFromExpiringIsAskedForAgainEveryFewSecondsInCaseItIsReleasedEarly() throws Exception {
        OffsetStoreException refused = new OffsetStoreException("claimed", Duration.ofSeconds(14));

        retrying.call("claiming pipeline", failingWith(refused, refused));

        assertThat(waits).containsExactly(Retrying.MAX_HINTED_WAIT, Retrying.MAX_HINTED_WAIT);
    }

    @Test
    void failuresThatDoNotSayWhenTheyEndBackOffExponentially() throws Exception {
        OffsetStoreException outage = new OffsetStoreException("PostgreSQL unreachable", true, null);

        retrying.call("claiming pipeline", failingWith(outage, outage, outage, outage));

        assertThat(waits).hasSize(4);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(waits.get(3)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1600));
    }
}
