package io.msgbridge.nats;

import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * nats-server forgets its waiting pull requests when it restarts. The source asks again as soon as
 * its connection is back, rather than when its last request would have expired.
 */
@Tag("integration")
class JetStreamSourceReconnectTest {

    private static void publish(String url, int from, int to) throws Exception {
        try (Connection conn = Nats.connect(url)) {
            for (int i = from; i <= to; i++) {
                conn.jetStream().publish("restart.e", ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Polls until {@code count} records arrived or {@code within} passed; a retriable failure (disconnected) is polled through. */
    private static List<SourceRecord> take(JetStreamSource source, int count, Duration within) throws InterruptedException {
        List<SourceRecord> out = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (out.size() < count && System.nanoTime() < deadline) {
            try {
                out.addAll(source.poll(count - out.size(), Duration.ofMillis(100)));
            } catch (RetriableException e) {
                // disconnected: the poll waited its timeout first; poll again
            }
        }
        return out;
    }

    @Test
    void pullsAgainAtOnceWhenTheServerIsBackAfterARestartAndIsNotConnectedMeanwhile() throws Exception {
        try (NatsTestServer server = NatsTestServer.start()) {
            try (Connection admin = Nats.connect(server.url())) {
                admin.jetStreamManagement().addStream(StreamConfiguration.builder().name("RESTART").subjects("restart.>")
                        .storageType(StorageType.File).build());
            }
            JetStreamSource source = new JetStreamSource(
                    NatsConnectionOptions.of("own", server.url()).withReconnectWait(Duration.ofMillis(250)),
                    JetStreamSourceOptions.of("RESTART"));
            try {
                source.start(new SourceContext("p1", SourceContext.Resume.BROKER, Map.of(), 100));
                publish(server.url(), 1, 10);
                List<SourceRecord> before = take(source, 10, Duration.ofSeconds(20));
                assertThat(before).hasSize(10);
                before.forEach(r -> r.ack().done());
                assertThat(source.poll(10, Duration.ofMillis(300))).as("a pull request open on the server, nothing to deliver").isEmpty();

                server.stop();
                await("the source to report that it cannot pull").atMost(Duration.ofSeconds(10)).until(() -> !source.connected());
                server.restart();
                publish(server.url(), 11, 20);
                long back = System.nanoTime();
                List<SourceRecord> after = take(source, 10, Duration.ofSeconds(20));
                Duration flowing = Duration.ofNanos(System.nanoTime() - back);

                assertThat(after).extracting(r -> r.position().sequence()).containsExactly(11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
                assertThat(flowing).as("time from the server being back to the records, well inside a pull request's %s expiry",
                        PullRequests.EXPIRES).isLessThan(Duration.ofMillis(2500));
                assertThat(source.connected()).isTrue();
            } finally {
                source.close();
            }
        }
    }
}
