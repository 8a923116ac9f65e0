package io.msgbridge.builtin;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Makes synthetic records: numbered from 1 in one partition (the topic), keys in turn, a payload from a
 * template, at a rate or as fast as the pipeline takes them, up to a count or without end. A record's
 * position is its sequence number, so with {@code resume: store} a restart goes on after the last committed
 * record, and a record made again after a crash is the same record (same number, key and payload). With
 * {@code resume: broker} there is no broker to remember anything: every start begins at 1.
 */
final class GenerateSource implements Source {
    private final GenerateOptions options;
    private final InstantSource clock;
    private final LongSupplier nanoTime;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Optional<Pace> pace = Optional.empty();
    private volatile boolean started;
    private long readAhead = SourceContext.DEFAULT_READ_AHEAD;
    /** The sequence number of the last record made before this start. */
    private volatile long first;
    /** The sequence number of the next record to make. */
    private volatile long next = 1;

    GenerateSource(GenerateOptions options) {
        this(options, InstantSource.system(), System::nanoTime);
    }

    GenerateSource(GenerateOptions options, InstantSource clock, LongSupplier nanoTime) {
        this.options = options;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    @Override
    public void start(SourceContext context) {
        Position stored = context.resume() == SourceContext.Resume.STORE ? context.stored().get(options.topic()) : null;
        first = stored == null ? 0 : sequence(stored);
        next = first + 1;
        readAhead = context.readAhead();
        pace = options.rate().stream().mapToObj(perSecond -> new Pace(perSecond, nanoTime)).findFirst();
        pace.ifPresent(Pace::start);
        started = true;
    }

    private long sequence(Position stored) {
        try {
            long sequence = Long.parseLong(stored.offset());
            if (sequence >= 0) {
                return sequence;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new PermanentException(options.describe() + ": the stored position " + stored + " is not a sequence number "
                + "(a whole number, 0 or more); set it right with 'bridge offsets set'");
    }

    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        while (!closed()) {
            long available = available();
            if (available > 0) {
                return make((int) Math.min(max, available));
            }
            long left = deadline - nanoTime.getAsLong();
            if (left <= 0) {
                break;
            }
            long wait = pace.isPresent() && !exhausted() ? Math.min(left, pace.get().nanosUntil(next - first - 1)) : left;
            if (closing.await(Math.max(wait, 1), TimeUnit.NANOSECONDS)) {
                break;
            }
        }
        return List.of();
    }

    /** How many records may be made now: those due at the rate, up to the count. */
    private long available() {
        long remaining = options.count().isPresent() ? Math.max(0, options.count().getAsLong() - next + 1) : Long.MAX_VALUE;
        long due = pace.map(p -> p.dueBy() - (next - first - 1)).orElse(Long.MAX_VALUE);
        return Math.min(remaining, due);
    }

    private boolean exhausted() {
        return options.count().isPresent() && next > options.count().getAsLong();
    }

    /** Up to {@code count} records, fewer when their payloads reach the read-ahead (at least one). */
    private List<SourceRecord> make(int count) {
        List<SourceRecord> records = new ArrayList<>(count);
        long bytes = 0;
        while (records.size() < count && (records.isEmpty() || bytes < readAhead)) {
            long seq = next;
            String key = options.key(seq);
            Message message = new Message(options.topic(), key, options.payload().render(seq, key), Headers.EMPTY, clock.instant());
            records.add(new SourceRecord(message, new Position(options.topic(), Long.toString(seq), seq)));
            bytes += message.sizeInBytes();
            next = seq + 1;
        }
        return records;
    }

    @Override
    public boolean connected() {
        return started && !closed();
    }

    /**
     * Records that are due and not made yet: at a rate, those a producer at that rate would have written by
     * now (a backlog when the pipeline is slower); without one, whatever is left of the count, and -1 (not
     * known) without a count, as there is no end to them.
     */
    @Override
    public long lag() {
        if (!started) {
            return -1;
        }
        long available = available();
        return available == Long.MAX_VALUE ? -1 : available;
    }

    @Override
    public void close() {
        closing.countDown();
    }

    private boolean closed() {
        return closing.getCount() == 0;
    }
}
