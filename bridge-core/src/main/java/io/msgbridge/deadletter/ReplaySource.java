package io.msgbridge.deadletter;

import io.msgbridge.runtime.DeadLetterHeaders;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The source of a replay: a dead-letter route's read-back, narrowed to the dead letters a
 * {@link DeadLetterFilter} selects, each turned back into the record it was (its original topic, key,
 * payload and headers, without the {@code bridge.error.*} ones). A dead letter already replayed
 * {@code maxReplays} times is not handed out: it stays in the route, is counted and logged.
 */
final class ReplaySource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(ReplaySource.class);

    private final Source reader;
    private final DeadLetterFilter filter;
    private final int maxReplays;
    private final ReplayOrigins origins;
    private final AtomicLong handedOut = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile boolean exhausted;

    ReplaySource(Source reader, DeadLetterFilter filter, int maxReplays, ReplayOrigins origins) {
        this.reader = reader;
        this.filter = filter;
        this.maxReplays = maxReplays;
        this.origins = origins;
    }

    @Override
    public void start(SourceContext context) throws InterruptedException {
        reader.start(context);
    }

    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        List<SourceRecord> read = reader.poll(max, timeout);
        if (read.isEmpty()) {
            exhausted = reader.lag() == 0;
            return read;
        }
        List<SourceRecord> selected = new ArrayList<>(read.size());
        for (SourceRecord record : read) {
            select(record).ifPresent(selected::add);
        }
        handedOut.addAndGet(selected.size());
        return selected;
    }

    private Optional<SourceRecord> select(SourceRecord record) {
        Optional<DeadLetter> deadLetter = DeadLetter.of(record.message());
        if (deadLetter.isEmpty() || !filter.matches(record.message(), deadLetter.get())) {
            return Optional.empty();
        }
        DeadLetter origin = deadLetter.get();
        if (origin.replays() >= maxReplays) {
            skipped.incrementAndGet();
            LOG.warn("not replaying dead letter at {} (from {} at {}): replayed {} times already, --max-replays is {}",
                    record.position(), origin.partition(), origin.position(), origin.replays(), maxReplays);
            return Optional.empty();
        }
        Message dead = record.message();
        Message original = new Message(origin.topic(), dead.key(), dead.payload(),
                DeadLetterHeaders.original(dead.headers()), dead.eventTime());
        origins.handedOut(record.position(), origin);
        return Optional.of(new SourceRecord(original, record.position(), 1, () -> origins.done(record.position())));
    }

    /** Whether the read-back reached its end and every selected record was handed out. */
    boolean exhausted() {
        return exhausted;
    }

    long handedOut() {
        return handedOut.get();
    }

    /** Dead letters left in the route because of {@code --max-replays}. */
    long skipped() {
        return skipped.get();
    }

    @Override
    public void committed(Map<String, io.msgbridge.spi.Position> watermarks) {
        reader.committed(watermarks);
    }

    @Override
    public boolean connected() {
        return reader.connected();
    }

    @Override
    public long lag() {
        return reader.lag();
    }

    @Override
    public void close() {
        reader.close();
    }
}
