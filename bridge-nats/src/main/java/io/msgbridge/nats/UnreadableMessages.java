package io.msgbridge.nats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the messages of one source whose headers the NATS client could not read
 * ({@link UnreadableHeaders}) and logs them with the subject: the first at once, then at most one line
 * per {@link #LOG_INTERVAL} with the count since the last line. Each such message still becomes a
 * record (unreadable: dead-lettered, never published). Thread-safe.
 */
final class UnreadableMessages {
    private static final Logger LOG = LoggerFactory.getLogger(UnreadableMessages.class);
    static final Duration LOG_INTERVAL = Duration.ofSeconds(5);

    private final String where;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong lastLogNanos = new AtomicLong();
    private final AtomicLong countAtLastLog = new AtomicLong();

    UnreadableMessages(String where) {
        this.where = where;
    }

    /** One more, on {@code subject}, refused for {@code problem}. */
    void seen(String subject, String problem) {
        long total = count.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLogNanos.get();
        if ((total == 1 || now - last >= LOG_INTERVAL.toNanos()) && lastLogNanos.compareAndSet(last, now)) {
            long since = total - countAtLastLog.getAndSet(total);
            LOG.warn("{}: {} message(s) with headers the NATS client cannot read (latest on subject {}: {}), {} since start; "
                    + "each becomes an unreadable record: dead-lettered with its raw header block in {}, never published", where, since, subject, problem, total,
                    UnreadableHeaders.RAW_HEADER);
        }
    }

    /** Messages seen since start. */
    long count() {
        return count.get();
    }
}
