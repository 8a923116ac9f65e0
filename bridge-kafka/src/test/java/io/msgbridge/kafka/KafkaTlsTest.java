package io.msgbridge.kafka;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.testing.TestCertificates;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS with PEM files on the shared test broker's TLS listener, which requires a client certificate. */
@Tag("integration")
class KafkaTlsTest {
    @TempDir
    Path dir;

    private static KafkaConnectionOptions tls(Path ca, Path cert, Path key) {
        KafkaConnectionOptions plain = KafkaConnectionOptions.of("tls", SharedKafka.broker().tlsBootstrap());
        return new KafkaConnectionOptions(plain.name(), plain.bootstrapServers(), KafkaConnectionOptions.Security.SSL,
                Optional.empty(), Optional.of(new KafkaConnectionOptions.Tls(Optional.of(ca), Optional.of(cert), Optional.of(key))),
                Optional.empty(), Duration.ofSeconds(10), Map.of());
    }

    @Test
    void theCaAndAClientCertificateFromPemFilesWriteAndRead() throws Exception {
        KafkaTestBroker broker = SharedKafka.broker();
        KafkaConnectionOptions connection = tls(broker.tlsCa(), broker.clientCertificate(), broker.clientKey());
        String topic = SharedKafka.newTopic("tls", 1);
        Sink sink = new KafkaSink(connection, KafkaSinkOptions.of(topic));
        Source source = new KafkaSource(connection, KafkaSourceOptions.of(topic));
        try {
            sink.start(new SinkContext("tls", SinkContext.Role.SINK));
            assertThat(sink.publish(new OutboundRecord(Message.of("in", new byte[] {7}), "tls/in-0/0", new Position("in-0", "0", 0))))
                    .succeedsWithin(Duration.ofSeconds(20));
            source.start(new SourceContext("tls", SourceContext.Resume.BROKER, Map.of(), 10));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> !source.poll(1, Duration.ofMillis(200)).isEmpty());
        } finally {
            sink.close();
            source.close();
        }
    }

    @Test
    void aBrokerCertificateFromAnotherCaFailsTheStartForGoodSayingWhatToCheck() {
        TestCertificates other = TestCertificates.create(dir, "stranger");
        KafkaConnectionOptions connection = tls(other.ca(), other.certificate("stranger"), other.key("stranger"));
        Sink sink = new KafkaSink(connection, KafkaSinkOptions.of("any"));
        try {
            assertThatThrownBy(() -> sink.start(new SinkContext("tls", SinkContext.Role.SINK)))
                    .isInstanceOf(PermanentException.class)
                    .hasMessageContaining("connection 'tls'")
                    .hasMessageContaining("the TLS handshake failed");
        } finally {
            sink.close();
        }
        assertThat(connection.describe()).isEqualTo("connection 'tls' (kafka " + SharedKafka.broker().tlsBootstrap() + ", SSL)");
    }
}
