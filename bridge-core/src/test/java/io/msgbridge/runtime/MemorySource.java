package io.msgbridge.runtime;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory source of our own SPI for runtime unit tests: one partition, preloaded messages. */
final class MemorySource implements Source {
    final List<Message> messages;
    final Set<Long> acked = ConcurrentHashMap.newKeySet();
    final AtomicInteger maxPolledAhead = new AtomicInteger();
    volatile Map<String, Position> committed = Map.of();
    volatile SourceContext context;
    private int next;

    MemorySource(List<Message> messages) {
        this.messages = messages;
    }

    @Override
    public void start(SourceContext context) {
        this.context = context;
        Position stored = context.stored().get("mem");
        next = stored == null ? 0 : (int) stored.sequence() + 1;
    }

    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        List<SourceRecord> batch = new ArrayList<>();
        while (batch.size() < max && next < messages.size()) {
            long seq = next++;
            batch.add(new SourceRecord(messages.get((int) seq), new Position("mem", Long.toString(seq), seq), 1,
                    () -> acked.add(seq)));
        }
        maxPolledAhead.accumulateAndGet(next - acked.size(), Math::max);
        if (batch.isEmpty()) {
            Thread.sleep(Math.min(timeout.toMillis(), 5));
        }
        return batch;
    }

    @Override
    public void committed(Map<String, Position> watermarks) {
        committed = Map.copyOf(watermarks);
    }

    @Override
    public boolean connected() {
        return true;
    }

    @Override
    public void close() {
    }
}
