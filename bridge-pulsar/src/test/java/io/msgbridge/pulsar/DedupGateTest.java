package io.msgbridge.pulsar;

import io.msgbridge.spi.Position;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DedupGateTest {

    @Test
    void letsEveryRecordThroughWhileNothingFailed() {
        DedupGate gate = new DedupGate();

        assertThat(gate.admit(1)).isTrue();
        assertThat(gate.admit(2)).isTrue();
        assertThat(gate.admit(7)).isTrue();
        assertThat(gate.failedAt()).isEqualTo(Position.NO_SEQUENCE);
    }

    @Test
    void afterAFailureHoldsBackEveryLaterRecordUntilTheFailedOneIsPublishedAgain() {
        DedupGate gate = new DedupGate();
        for (long s = 1; s <= 5; s++) {
            assertThat(gate.admit(s)).isTrue();
        }

        gate.failed(3);

        assertThat(gate.admit(6)).as("published before the runtime saw the failure").isFalse();
        assertThat(gate.admit(7)).isFalse();
        assertThat(gate.failedAt()).isEqualTo(3);
        assertThat(gate.admit(3)).as("the runtime's rewind").isTrue();
        assertThat(gate.admit(4)).isTrue();
        assertThat(gate.admit(5)).isTrue();
        assertThat(gate.admit(6)).isTrue();
        assertThat(gate.admit(8)).isTrue();
    }

    @Test
    void theLowestOfSeveralFailuresIsTheOneWaitedFor() {
        DedupGate gate = new DedupGate();
        gate.admit(1);
        gate.admit(2);
        gate.admit(3);

        gate.failed(2);
        gate.failed(1);
        gate.failed(3);

        assertThat(gate.failedAt()).isEqualTo(1);
        assertThat(gate.admit(4)).isFalse();
        assertThat(gate.admit(1)).isTrue();
        assertThat(gate.failedAt()).isEqualTo(Position.NO_SEQUENCE);
    }

    @Test
    void aRewindThatSkipsTheFailedRecordStillOpensTheGate() {
        DedupGate gate = new DedupGate();
        gate.admit(10);
        gate.admit(11);
        gate.admit(12);
        gate.failed(10);
        assertThat(gate.admit(13)).isFalse();

        boolean afterTheDeadLetteredOne = gate.admit(11);

        assertThat(afterTheDeadLetteredOne).as("10 went to the dead-letter route; the runtime goes on from 11").isTrue();
        assertThat(gate.admit(12)).isTrue();
        assertThat(gate.admit(13)).isTrue();
    }

    @Test
    void whenTheFailedRecordWasTheLastOneTriedTheNextIsHeldBackOnceThenLetThrough() {
        DedupGate gate = new DedupGate();
        gate.admit(10);
        gate.failed(10);

        assertThat(gate.admit(11)).as("may have been published before the runtime saw 10 fail").isFalse();
        assertThat(gate.admit(11)).as("published again: a step back, so the runtime has rewound").isTrue();
        assertThat(gate.admit(12)).isTrue();
    }

    @Test
    void aFailureDuringARewindClosesTheGateAgain() {
        DedupGate gate = new DedupGate();
        for (long s = 1; s <= 6; s++) {
            gate.admit(s);
        }
        gate.failed(2);
        assertThat(gate.admit(2)).isTrue();
        assertThat(gate.admit(3)).isTrue();

        gate.failed(3);

        assertThat(gate.admit(4)).as("below the high-water mark of the first run, but forward in this one").isFalse();
        assertThat(gate.admit(3)).isTrue();
    }

    @Test
    void aRecordThatFailedBeforeItWasSentOpensTheGateWhenPublishedAgain() {
        DedupGate gate = new DedupGate();
        gate.admit(10);

        gate.failed(11);

        assertThat(gate.admit(11)).as("the runtime's rewind, straight away").isTrue();
        assertThat(gate.admit(12)).isTrue();
    }
}
