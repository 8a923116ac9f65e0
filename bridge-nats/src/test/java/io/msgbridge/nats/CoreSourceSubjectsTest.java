package io.msgbridge.nats;

import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import io.nats.client.Connection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class CoreSourceSubjectsTest {

    @Test
    void aSourceOnSeveralSubjectsReceivesEachInItsOrderWithOffsetsThatOnlyGrow() throws Exception {
        String prefix = SharedNats.unique();
        List<String> subjects = List.of(prefix + ".a", prefix + ".b", prefix + ".c.*");
        CoreNatsSource source = new CoreNatsSource(SharedNats.options(), new CoreSourceOptions(subjects, Optional.empty(), 10_000));
        try (Connection conn = SharedNats.connect()) {
            source.start(new SourceContext("p1", SourceContext.Resume.BROKER, Map.of(), 1000));
            for (int i = 0; i < 300; i++) {
                String subject = switch (i % 3) {
                    case 0 -> prefix + ".a";
                    case 1 -> prefix + ".b";
                    default -> prefix + ".c.x";
                };
                conn.publish(subject, Integer.toString(i).getBytes());
            }
            conn.flush(Duration.ofSeconds(5));

            List<SourceRecord> received = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (received.size() < 300 && System.nanoTime() < deadline) {
                received.addAll(source.poll(50, Duration.ofMillis(200)));
            }

            assertThat(received).hasSize(300);
            assertThat(received).extracting(r -> Long.parseLong(r.position().offset())).isSorted().doesNotHaveDuplicates();
            assertThat(received).extracting(r -> r.position().partition()).containsOnly(String.join(",", subjects));
            for (String subject : List.of(prefix + ".a", prefix + ".b", prefix + ".c.x")) {
                List<Integer> values = received.stream().filter(r -> r.message().topic().equals(subject))
                        .map(r -> Integer.parseInt(new String(r.message().payload()))).toList();
                assertThat(values).as(subject).hasSize(100).isSorted();
            }
            assertThat(source.dropped()).isZero();
        } finally {
            source.close();
        }
    }
}
