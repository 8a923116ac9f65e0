package io.msgbridge.backend;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Position;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OrderGateTest {

    private static OutboundRecord record(String key, String partition, long sequence, boolean resumes) {
        return new OutboundRecord(Message.of("t", new byte[] {1}), key, "p/" + partition + "/" + sequence,
                new Position(partition, Long.toString(sequence), sequence), resumes);
    }

    @Test
    void refusesTheLaterRecordsOfAKeyAfterAFailureUntilTheRuntimeResumesIt() {
        OrderGate gate = new OrderGate(false);
        assertThat(gate.admit(record("a", "p", 1, false))).isTrue();
        gate.failed(record("a", "p", 1, false));

        assertThat(gate.admit(record("a", "p", 2, false))).as("behind the failed record").isFalse();
        assertThat(gate.admit(record("b", "p", 3, false))).as("another key").isTrue();
        assertThat(gate.admit(record("a", "p", 1, true))).as("the runtime resumes the key").isTrue();
        assertThat(gate.admit(record("a", "p", 2, false))).isTrue();
    }

    @Test
    void ordersRecordsWithoutAKeyByTheirPartition() {
        OrderGate gate = new OrderGate(false);
        gate.failed(record(null, "p0", 1, false));

        assertThat(gate.admit(record(null, "p0", 2, false))).isFalse();
        assertThat(gate.admit(record(null, "p1", 2, false))).isTrue();
    }

    @Test
    void closesAWholeSourcePartitionWhenTheSinkOrdersPerPartition() {
        OrderGate gate = new OrderGate(true);
        gate.failed(record("a", "p0", 1, false));

        assertThat(gate.admit(record("b", "p0", 2, false))).isFalse();
        assertThat(gate.admit(record("b", "p1", 2, false))).isTrue();
        assertThat(gate.admit(record("c", "p0", 1, true))).isTrue();
        assertThat(gate.admit(record("b", "p0", 2, false))).isTrue();
    }
}
