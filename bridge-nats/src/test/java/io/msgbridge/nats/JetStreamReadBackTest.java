package io.msgbridge.nats;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which JetStream sinks can be read back, and with which subject filter. */
@Tag("integration")
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

    @Test
    void equalSectionsMakeEqualReadBacksSoAReloadKeepsTheirPipelineRunning() {
        NatsConnectionOptions connection = NatsConnectionOptions.of("local", "nats://127.0.0.1:4222");
        NatsSinkOptions sink = NatsSinkOptions.of("b.{subject}", SinkMode.JETSTREAM)
                .withCreateStream(new CreateStreamOptions("S", List.of("b.>"), CreateStreamOptions.Storage.FILE,
                        Duration.ofMinutes(2), Duration.ZERO));

        assertThat(JetStreamReadBack.of(connection, sink)).isEqualTo(JetStreamReadBack.of(connection, sink));
        assertThat(JetStreamReadBack.of(connection, JetStreamSourceOptions.of("ORDERS")))
                .isEqualTo(JetStreamReadBack.of(connection, JetStreamSourceOptions.of("ORDERS")));
    }
}
