package io.msgbridge.nats;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class UnitsTest {

    @Test
    void eventTimeHeadersAreReadAsIsoInstantsOrEpochMillis() {
        assertThat(NatsMessageMapper.parseEventTime("2026-11-23T10:00:00Z")).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(NatsMessageMapper.parseEventTime("1000")).isEqualTo(Instant.ofEpochMilli(1000));
        assertThat(NatsMessageMapper.parseEventTime("yesterday")).isNull();
    }

    @Test
    void outgoingHeadersCarryTheKeyAndEventTimeAndDropPublishExpectations() {
        NatsMessageMapper mapper = new NatsMessageMapper("Sharding-Key");
        Message m = new Message("s", "k1", new byte[0],
                Headers.of("a", "1", "a", "2", "Nats-Expected-Stream", "X", "Nats-Msg-Id", "old", "Sharding-Key", "stale"),
                Instant.parse("2026-01-01T00:00:00Z"));

        io.nats.client.impl.Headers out = mapper.toNats(m, m.key(), null);

        assertThat(out.get("a")).containsExactly("1", "2");
        assertThat(out.get("Sharding-Key")).containsExactly("k1");
        assertThat(out.getFirst("Bridge-Event-Time")).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(out.keySet()).doesNotContain("Nats-Expected-Stream", "Nats-Msg-Id");
    }

    @Test
    void aJetStreamPublishCarriesTheRecordIdAsNatsMsgIdInsteadOfAStaleOne() {
        Message m = new Message("s", null, new byte[0], Headers.of("Nats-Msg-Id", "old"), null);

        io.nats.client.impl.Headers out = new NatsMessageMapper("Sharding-Key").toNats(m, m.key(), "pipe/orders/7");

        assertThat(out.get("Nats-Msg-Id")).containsExactly("pipe/orders/7");
    }

    @Test
    void aMessageWithNothingToCarryIsSentWithoutHeaders() {
        Message m = new Message("s", null, new byte[0], Headers.EMPTY, null);

        assertThat(new NatsMessageMapper("Sharding-Key").toNats(m, m.key(), null)).isNull();
    }
}
