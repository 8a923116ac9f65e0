package io.msgbridge.nats;

import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import io.nats.client.Connection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("integration")
class CoreSourceOverflowTest {

    @Test
    void whenTheBufferIsFullArrivingMessagesAreDroppedAndCountedWhileTheOldestAreKeptAndTheGapShows() throws Exception {
        String subject = SharedNats.unique() + ".burst";
        CoreNatsSource source = new CoreNatsSource(SharedNats.options(), new CoreSourceOptions(List.of(subject), Optional.empty(), 4));
        try (Connection conn = SharedNats.connect()) {
            source.start(new SourceContext("p1", SourceContext.Resume.BROKER, Map.of(), 1000));
            for (int i = 0; i < 100; i++) {
                conn.publish(subject, new byte[] {(byte) i});
            }
            conn.flush(Duration.ofSeconds(5));

            await().atMost(Duration.ofSeconds(10)).until(() -> source.dropped() == 96);
            List<SourceRecord> kept = source.poll(100, Duration.ofSeconds(1));

            assertThat(source.buffered()).isZero();
            assertThat(kept).extracting(r -> r.position().offset()).containsExactly("1", "2", "3", "4");
            assertThat(kept).extracting(r -> r.message().payload()[0]).containsExactly((byte) 0, (byte) 1, (byte) 2, (byte) 3);

            conn.publish(subject, new byte[] {(byte) 100});
            List<SourceRecord> after = source.poll(100, Duration.ofSeconds(5));
            assertThat(after).as("the drops show as a gap in the offsets").extracting(r -> r.position().offset()).containsExactly("101");
        } finally {
            source.close();
        }
    }
}
