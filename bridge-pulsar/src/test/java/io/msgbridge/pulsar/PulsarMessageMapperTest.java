package io.msgbridge.pulsar;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.impl.TypedMessageBuilderImpl;
import org.apache.pulsar.common.api.proto.KeyValue;
import org.apache.pulsar.common.api.proto.MessageMetadata;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PulsarMessageMapperTest {

    @Test
    void copiesHeadersIntoPropertiesInOrderWithoutTheBackendsOwn() {
        MessageMetadata metadata = toPulsar(new Headers.Header("origin", "orders"), new Headers.Header("bench-key", "k7"),
                new Headers.Header(PulsarMessageMapper.PUBLISH_TIME, "2026-12-02T00:00:00Z"));

        assertThat(properties(metadata)).containsExactly(Map.entry("origin", "orders"), Map.entry("bench-key", "k7"));
        assertThat(metadata.getPartitionKey()).isEqualTo("k");
        assertThat(metadata.getEventTime()).isEqualTo(1234L);
    }

    @Test
    void aRepeatedHeaderKeepsItsLastValueOnce() {
        MessageMetadata metadata = toPulsar(new Headers.Header("a", "1"), new Headers.Header("b", "2"), new Headers.Header("a", "3"));

        assertThat(properties(metadata)).containsExactly(Map.entry("a", "3"), Map.entry("b", "2"));
    }

    @Test
    void theOrderingKeyHeaderBecomesTheOrderingKeyAndAForeignOneIsDropped() {
        String encoded = Base64.getEncoder().encodeToString("ok".getBytes(StandardCharsets.UTF_8));
        MessageMetadata ours = toPulsar(new Headers.Header(PulsarMessageMapper.ORDERING_KEY, encoded));
        MessageMetadata foreign = toPulsar(new Headers.Header(PulsarMessageMapper.ORDERING_KEY, "not base64!"));

        assertThat(new String(ours.getOrderingKey(), StandardCharsets.UTF_8)).isEqualTo("ok");
        assertThat(properties(ours)).isEmpty();
        assertThat(foreign.hasOrderingKey()).isFalse();
    }

    @Test
    void theKeyThePipelineComputedIsTheKeyAndTheOrderingKey() {
        MessageMetadata metadata = toPulsar(null, "kb-17");

        assertThat(metadata.getPartitionKey()).isEqualTo("kb-17");
        assertThat(new String(metadata.getOrderingKey(), StandardCharsets.UTF_8)).isEqualTo("kb-17");
    }

    @Test
    void aComputedKeyReplacesTheSourcesKeyAndItsOrderingKey() {
        String original = Base64.getEncoder().encodeToString("old".getBytes(StandardCharsets.UTF_8));
        MessageMetadata metadata = toPulsar("source-key", "computed", new Headers.Header(PulsarMessageMapper.ORDERING_KEY, original));

        assertThat(metadata.getPartitionKey()).isEqualTo("computed");
        assertThat(new String(metadata.getOrderingKey(), StandardCharsets.UTF_8)).isEqualTo("computed");
    }

    @Test
    void aMirrorKeepsTheOriginalsKeyAndOrderingKey() {
        String original = Base64.getEncoder().encodeToString("ok".getBytes(StandardCharsets.UTF_8));
        MessageMetadata metadata = toPulsar("k", "k", new Headers.Header(PulsarMessageMapper.ORDERING_KEY, original));

        assertThat(metadata.getPartitionKey()).isEqualTo("k");
        assertThat(new String(metadata.getOrderingKey(), StandardCharsets.UTF_8)).isEqualTo("ok");
    }

    @Test
    void noKeyWhenThePipelineHasNone() {
        MessageMetadata metadata = toPulsar("source-key", null);

        assertThat(metadata.hasPartitionKey()).isFalse();
        assertThat(metadata.hasOrderingKey()).isFalse();
    }

    private static MessageMetadata toPulsar(Headers.Header... headers) {
        return toPulsar("k", "k", headers);
    }

    private static MessageMetadata toPulsar(String messageKey, String key, Headers.Header... headers) {
        TypedMessageBuilderImpl<byte[]> out = new TypedMessageBuilderImpl<>(null, Schema.BYTES);
        PulsarMessageMapper.toPulsar(new Message("t", messageKey, new byte[] {1}, Headers.of(List.of(headers)), Instant.ofEpochMilli(1234)),
                key, out);
        return out.getMetadataBuilder();
    }

    private static Map<String, String> properties(MessageMetadata metadata) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (KeyValue kv : metadata.getPropertiesList()) {
            assertThat(properties).as("property %s set once", kv.getKey()).doesNotContainKey(kv.getKey());
            properties.put(kv.getKey(), kv.getValue());
        }
        return properties;
    }
}
