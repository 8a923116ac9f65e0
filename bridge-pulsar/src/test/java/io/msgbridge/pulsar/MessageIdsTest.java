package io.msgbridge.pulsar;

import io.msgbridge.spi.Position;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.MessageIdAdv;
import org.apache.pulsar.client.impl.BatchMessageIdImpl;
import org.apache.pulsar.client.impl.MessageIdImpl;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageIdsTest {

    @Test
    void aTokenRoundTripsIncludingTheBatchIndex() {
        MessageId id = new BatchMessageIdImpl(12, 34, 2, 5, 10, null);

        MessageIdAdv back = MessageIds.parse(MessageIds.token(id), "persistent://public/default/t-partition-2");

        assertThat(back.getLedgerId()).isEqualTo(12);
        assertThat(back.getEntryId()).isEqualTo(34);
        assertThat(back.getPartitionIndex()).isEqualTo(2);
        assertThat(back.getBatchIndex()).isEqualTo(5);
        assertThat(MessageIds.token(back)).isEqualTo(MessageIds.token(id));
    }

    @Test
    void ledgerColonEntryIsAcceptedForOperators() {
        MessageIdAdv id = MessageIds.parse("7:9", "persistent://public/default/t-partition-3");

        assertThat(MessageIds.readable(id)).isEqualTo("7:9");
        assertThat(id.getPartitionIndex()).isEqualTo(3);
    }

    @Test
    void garbageIsRefusedWithTheExpectedForms() {
        assertThatThrownBy(() -> MessageIds.parse("not a token!", "t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LEDGER:ENTRY");
    }

    @Test
    void sequencesGrowWithLedgerEntryAndBatchIndex() {
        long a = MessageIds.sequence(new MessageIdImpl(5, 99, -1));
        long b = MessageIds.sequence(new BatchMessageIdImpl(5, 100, -1, 0, 3, null));
        long c = MessageIds.sequence(new BatchMessageIdImpl(5, 100, -1, 1, 3, null));
        long d = MessageIds.sequence(new MessageIdImpl(6, 0, -1));

        assertThat(a).isPositive().isLessThan(b);
        assertThat(b).isLessThan(c);
        assertThat(c).isLessThan(d);
    }

    @Test
    void anIdOutsideThePackedRangeHasNoSequence() {
        assertThat(MessageIds.sequence(new MessageIdImpl(1L << 32, 0, -1))).isEqualTo(Position.NO_SEQUENCE);
        assertThat(MessageIds.sequence(new MessageIdImpl(1, 1L << 21, -1))).isEqualTo(Position.NO_SEQUENCE);
    }
}
