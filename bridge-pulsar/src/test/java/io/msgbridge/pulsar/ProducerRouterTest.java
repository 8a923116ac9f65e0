package io.msgbridge.pulsar;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Position;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ProducerRouterTest {
    private static OutboundRecord record(String partition, String key, long sequence) {
        return new OutboundRecord(new Message("t", key, new byte[0], Headers.EMPTY, null), key, "id",
                new Position(partition, "o", sequence));
    }

    @Test
    void withoutDedupEveryRecordOfATopicSharesOneProducer() {
        ProducerRouter router = new ProducerRouter("p", false);

        assertThat(router.route("out", record("a", "k1", 1))).isEqualTo(router.route("out", record("b", "k2", 2)))
                .extracting(ProducerRouter.ProducerKey::deduplicating).isEqualTo(false);
    }

    @Test
    void withDedupEveryKeyOfASourcePartitionSharesOneProducerPerTopic() {
        ProducerRouter router = new ProducerRouter("p", true);
        Set<ProducerRouter.ProducerKey> producers = new HashSet<>();

        for (int key = 0; key < 10_000; key++) {
            producers.add(router.route("out", record("partition-" + key % 3, "k" + key, key)));
            producers.add(router.route("other", record("partition-" + key % 3, "k" + key, key)));
        }

        assertThat(producers).hasSize(2 * 3).allMatch(ProducerRouter.ProducerKey::deduplicating);
    }

    @Test
    void withDedupTheNameIsStablePerPipelineAndPartition() {
        ProducerRouter.ProducerKey first = new ProducerRouter("p", true).route("out", record("a", "k1", 1));

        assertThat(new ProducerRouter("p", true).route("out", record("a", "k2", 9))).isEqualTo(first);
        assertThat(new ProducerRouter("p", true).route("out", record("b", "k1", 1))).isNotEqualTo(first);
        assertThat(new ProducerRouter("q", true).route("out", record("a", "k1", 1))).isNotEqualTo(first);
        assertThat(first.name()).startsWith("bridge-p-");
    }

    @Test
    void recordsWithoutASequenceAreNotDeduplicated() {
        ProducerRouter router = new ProducerRouter("p", true);

        assertThat(router.route("out", record("a", "k", Position.NO_SEQUENCE)).deduplicating()).isFalse();
    }
}
