package io.msgbridge.pulsar;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Position;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProducerRouterTest {
    private static OutboundRecord record(String partition, String key, long sequence) {
        return new OutboundRecord(new Message("t", key, new byte[0], io.msgbridge.spi.Headers.EMPTY, null), "id",
                new Position(partition, "o", sequence));
    }

    @Test
    void withoutDedupEveryRecordOfATopicSharesOneProducer() {
        ProducerRouter router = new ProducerRouter("p", false, false);

        assertThat(router.route("out", record("a", "k1", 1))).isEqualTo(router.route("out", record("b", "k2", 2)))
                .extracting(ProducerRouter.ProducerKey::deduplicating).isEqualTo(false);
    }

    @Test
    void withDedupTheNameIsStablePerPipelinePartitionAndKey() {
        ProducerRouter router = new ProducerRouter("p", false, true);
        ProducerRouter again = new ProducerRouter("p", false, true);

        ProducerRouter.ProducerKey first = router.route("out", record("a", "k1", 1));

        assertThat(again.route("out", record("a", "k1", 9))).isEqualTo(first);
        assertThat(router.route("out", record("a", "k2", 2))).isNotEqualTo(first);
        assertThat(router.route("out", record("b", "k1", 2))).isNotEqualTo(first);
        assertThat(new ProducerRouter("q", false, true).route("out", record("a", "k1", 1))).isNotEqualTo(first);
        assertThat(new ProducerRouter("p", true, true).route("out", record("a", "k1", 1)).name()).startsWith("bridge-p-dlq-");
        assertThat(first.name()).startsWith("bridge-p-");
    }

    @Test
    void recordsWithoutASequenceAreNotDeduplicated() {
        ProducerRouter router = new ProducerRouter("p", false, true);

        assertThat(router.route("out", record("a", "k", Position.NO_SEQUENCE)).deduplicating()).isFalse();
    }
}
