package io.msgbridge.bench;

import io.msgbridge.nsq.NsqAddress;
import io.msgbridge.nsq.NsqConnectionOptions;
import io.msgbridge.nsq.NsqSource;
import io.msgbridge.nsq.NsqSourceOptions;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The baseline's NSQ client: the project's own NSQ client (bridge-nsq; there is no other here), used
 * through its {@link NsqSource} as the bridge's NSQ backend uses it, with the backend's defaults
 * (msg-timeout 60 s, heartbeats every 30 s, the in-flight limit as the RDY window, at most 1000
 * records a poll as the bridge's pump). A record is {@code FIN}ished when the sink confirmed it.
 */
final class NsqBaseline {
    private static final int POLL_RECORDS = 1000;

    private NsqBaseline() {
    }

    /** {@code spec}: {@code HOST:PORT/TOPIC/CHANNEL}. */
    static BaselineMain.Source source(String spec, int maxInFlight) throws InterruptedException {
        String[] parts = spec.split("/");
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected nsq:HOST:PORT/TOPIC/CHANNEL, got nsq:" + spec);
        }
        NsqSource source = new NsqSource(NsqConnectionOptions.of(List.of(NsqAddress.parse(parts[0]))),
                new NsqSourceOptions(parts[1], parts[2]));
        source.start(new SourceContext("baseline", SourceContext.Resume.BROKER, Map.of(), maxInFlight));
        return new BaselineMain.Source() {
            private final Deque<SourceRecord> polled = new ArrayDeque<>();

            @Override
            public BaselineMain.Received next(Duration timeout) throws InterruptedException {
                if (polled.isEmpty()) {
                    polled.addAll(source.poll(POLL_RECORDS, timeout));
                }
                SourceRecord record = polled.pollFirst();
                if (record == null) {
                    return null;
                }
                return new BaselineMain.Received(record.message().topic(), record.message().payload(), record.message().key(),
                        record.position().toString(), record.ack()::done);
            }

            @Override
            public void close() {
                source.close();
            }
        };
    }
}
