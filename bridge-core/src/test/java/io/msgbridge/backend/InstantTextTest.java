package io.msgbridge.backend;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class InstantTextTest {

    @Test
    void writesWhatInstantToStringWrites() {
        InstantText text = new InstantText();
        SplittableRandom random = new SplittableRandom(42);
        long second = Instant.parse("2026-11-24T01:02:03Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            long epochSecond = second + random.nextInt(3);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(epochSecond, nano);
            assertThat(text.of(instant)).isEqualTo(instant.toString());
        }
        assertThat(text.of(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(text.of(Instant.ofEpochMilli(1))).isEqualTo("1970-01-01T00:00:00.001Z");
    }
}
