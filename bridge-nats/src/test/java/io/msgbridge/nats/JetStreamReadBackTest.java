package io.msgbridge.nats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which JetStream sinks can be read back, and with which subject filter. */
class JetStreamReadBackTest {

    @Test
    void readsAFixedSubjectAsIsAndATrailingTemplateWithAWildcard() {
        assertThat(JetStreamReadBack.filter("dlq.orders")).contains("dlq.orders");
        assertThat(JetStreamReadBack.filter("dlq.{subject}")).contains("dlq.>");
        assertThat(JetStreamReadBack.filter("dlq.{topic}")).contains("dlq.>");
        assertThat(JetStreamReadBack.filter("dlq.{subject}.x")).isEmpty();
    }

    @Test
    void hasNoReadBackForCoreNats() {
        NatsConnectionOptions connection = null;
        assertThat(JetStreamReadBack.of(connection, NatsSinkOptions.of("dlq.orders", SinkMode.CORE))).isEmpty();
        assertThat(JetStreamReadBack.of(connection, NatsSinkOptions.of("dlq.orders", SinkMode.JETSTREAM))).isPresent();
    }
}
