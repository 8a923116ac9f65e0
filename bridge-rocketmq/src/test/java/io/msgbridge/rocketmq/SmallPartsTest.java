package io.msgbridge.rocketmq;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key hash, partition names and message mapping, without a broker. */
class SmallPartsTest {

    @Test
    void theKeyHashIsFnv1aOfTheUtf8BytesAsTheGoClientsHashSelectorUses() {
        assertThat(KeyHashSelector.fnv1a("")).isEqualTo(0x811c9dc5);
        assertThat(KeyHashSelector.fnv1a("a")).isEqualTo(0xe40c292c);
        assertThat(KeyHashSelector.fnv1a("foobar")).isEqualTo(0xbf9cf968);
        assertThat(KeyHashSelector.index("foobar", 8)).isEqualTo((int) (0xbf9cf968L % 8));
    }

    @Test
    void aKeyAlwaysGoesToOneQueueAndKeysSpreadOverAllQueues() {
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (int k = 0; k < 100; k++) {
            int first = KeyHashSelector.index("key-" + k, 8);
            assertThat(KeyHashSelector.index("key-" + k, 8)).isEqualTo(first);
            used.add(first);
        }
        assertThat(used).hasSize(8);
    }

    @Test
    void partitionNamesRoundTrip() {
        MessageQueue queue = new MessageQueue("orders", "broker-a", 3);
        assertThat(QueuePartition.name(queue)).isEqualTo("orders/broker-a/3");
        assertThat(QueuePartition.parse("orders/broker-a/3")).isEqualTo(queue);
        assertThat(QueuePartition.parse("orders")).isNull();
        assertThat(QueuePartition.parse("orders/broker-a/x")).isNull();
    }

    @Test
    void theNativeKeyIsCozesShardingKeyElseTheMessageKeys() {
        assertThat(RocketMqMessages.key(Map.of("SHARDING_KEY", "doc-1", "KEYS", "k1"))).isEqualTo("doc-1");
        assertThat(RocketMqMessages.key(Map.of("KEYS", "k1 k2"))).isEqualTo("k1 k2");
        assertThat(RocketMqMessages.key(Map.of("other", "x"))).isNull();
    }

    @Test
    void theRecordKeyBecomesKeysAndShardingKeyAndOwnHeadersAreNotCopied() {
        Message message = new Message("t", "source-key", "v".getBytes(StandardCharsets.UTF_8),
                Headers.of("city", "Zürich", "Bridge-RocketMQ-Tags", "tagA", "SHARDING_KEY", "old"), null);
        OutboundRecord record = new OutboundRecord(message, "pipeline-key", "id", new Position("p", "1", 1));

        org.apache.rocketmq.common.message.Message out = RocketMqMessages.toRocketMq(record, "dst", "tagB");

        assertThat(out.getKeys()).isEqualTo("pipeline-key");
        assertThat(out.getUserProperty("SHARDING_KEY")).isEqualTo("pipeline-key");
        assertThat(out.getUserProperty("city")).isEqualTo("Zürich");
        assertThat(out.getUserProperty("Bridge-RocketMQ-Tags")).isNull();
        assertThat(out.getTags()).isEqualTo("tagB");
        assertThat(RocketMqMessages.sourceTag(message)).isEqualTo("tagA");
    }

    @Test
    void headersRocketMqCannotCarryAreRefusedAsPermanentNamingThem() {
        for (String[] header : new String[][] {{"KEYS", "x"}, {"__secret", "x"}, {"blank", " "}, {"sep\u0001", "x"}}) {
            Message message = new Message("t", null, new byte[] {1}, Headers.of(header[0], header[1]), null);
            OutboundRecord record = new OutboundRecord(message, "id", new Position("p", "1", 1));
            assertThatThrownBy(() -> RocketMqMessages.toRocketMq(record, "dst", null))
                    .isInstanceOf(PermanentException.class).hasMessageContaining("header '");
        }
    }
}
