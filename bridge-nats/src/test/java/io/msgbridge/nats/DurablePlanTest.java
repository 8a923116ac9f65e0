package io.msgbridge.nats;

import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.SourceContext.Resume;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurablePlanTest {
    private final JetStreamSourceOptions options = JetStreamSourceOptions.of("S");
    private final Position stored = new Position("S", "41", 41);

    private static DurablePlan.Existing existing(long ackFloor, long pending) {
        return new DurablePlan.Existing(ConsumerConfiguration.builder().durable("d").deliverPolicy(DeliverPolicy.All).build(), ackFloor, pending);
    }

    @Test
    void aNewDurableWithAStoredPositionStartsAtTheNextSequence() {
        DurablePlan plan = DurablePlan.decide(options, "d", null, Resume.STORE, stored, 500);

        assertThat(plan.recreate()).isFalse();
        assertThat(plan.config().getDeliverPolicy()).isEqualTo(DeliverPolicy.ByStartSequence);
        assertThat(plan.config().getStartSequence()).isEqualTo(42);
        assertThat(plan.config().getMaxAckPending()).isEqualTo(500);
        assertThat(plan.config().getAckWait()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void anExistingDurableExactlyAtTheStoredPositionIsKept() {
        DurablePlan plan = DurablePlan.decide(options, "d", existing(41, 0), Resume.STORE, stored, 500);

        assertThat(plan.recreate()).isFalse();
        assertThat(plan.config().getDeliverPolicy()).isEqualTo(DeliverPolicy.All);
    }

    @Test
    void anExistingDurableElsewhereIsRecreatedAtTheStoredPosition() {
        DurablePlan plan = DurablePlan.decide(options, "d", existing(50, 3), Resume.STORE, stored, 500);

        assertThat(plan.recreate()).isTrue();
        assertThat(plan.config().getStartSequence()).isEqualTo(42);
    }

    @Test
    void brokerResumeKeepsAnExistingDurableWhateverIsStored() {
        DurablePlan plan = DurablePlan.decide(options, "d", existing(50, 3), Resume.BROKER, stored, 500);

        assertThat(plan.recreate()).isFalse();
        assertThat(plan.reason()).contains("from its own state");
    }

    @Test
    void aNewDurableWithoutAStoredPositionDeliversAsConfigured() {
        DurablePlan plan = DurablePlan.decide(options.withDeliver(JetStreamSourceOptions.DeliverFrom.NEW), "d", null, Resume.STORE, null, 500);

        assertThat(plan.config().getDeliverPolicy()).isEqualTo(DeliverPolicy.New);
    }

    @Test
    void anExistingDurableWithOtherFiltersIsAPermanentProblemUnderBrokerResume() {
        DurablePlan.Existing other = new DurablePlan.Existing(ConsumerConfiguration.builder().durable("d").filterSubject("S.a").build(), 0, 0);

        assertThatThrownBy(() -> DurablePlan.decide(options, "d", other, Resume.BROKER, null, 500))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("durable d on stream S filters [S.a]");
    }
}
