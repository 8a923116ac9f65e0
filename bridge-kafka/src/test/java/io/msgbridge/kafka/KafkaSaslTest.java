package io.msgbridge.kafka;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Secret;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SASL/PLAIN on the shared test broker's SASL listener. */
@Tag("integration")
class KafkaSaslTest {
    private static final String WRONG = "not-alices-password-9431";

    private static KafkaConnectionOptions alice(String password) {
        return KafkaConnectionOptions.of("secured", SharedKafka.broker().saslBootstrap()).withSasl(
                KafkaConnectionOptions.Security.SASL_PLAINTEXT,
                new KafkaConnectionOptions.Sasl(KafkaConnectionOptions.Mechanism.PLAIN, "alice", new Secret(password)));
    }

    @Test
    void aWrongPasswordFailsTheStartForGoodNamingTheConnectionAndNeverThePassword() {
        Source source = new KafkaSource(alice(WRONG), KafkaSourceOptions.of("any"));
        try {
            assertThatThrownBy(() -> source.start(new SourceContext("sasl", SourceContext.Resume.BROKER, Map.of(), 10)))
                    .isInstanceOf(PermanentException.class)
                    .hasMessageContaining("connection 'secured'")
                    .hasMessageContaining("as alice")
                    .hasMessageContaining("authentication refused")
                    .satisfies(e -> assertThat(e.toString()).doesNotContain(WRONG));
        } finally {
            source.close();
        }
    }

    @Test
    void theRightPasswordWritesAndReads() throws Exception {
        String topic = SharedKafka.newTopic("sasl", 1);
        Sink sink = new KafkaSink(alice("alice-secret"), KafkaSinkOptions.of(topic));
        Source source = new KafkaSource(alice("alice-secret"), KafkaSourceOptions.of(topic));
        try {
            sink.start(new SinkContext("sasl", SinkContext.Role.SINK));
            assertThat(sink.publish(new OutboundRecord(Message.of("in", new byte[] {7}), "sasl/in-0/0", new Position("in-0", "0", 0))))
                    .succeedsWithin(Duration.ofSeconds(20));
            source.start(new SourceContext("sasl", SourceContext.Resume.BROKER, Map.of(), 10));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> !source.poll(1, Duration.ofMillis(200)).isEmpty());
        } finally {
            sink.close();
            source.close();
        }
    }
}
