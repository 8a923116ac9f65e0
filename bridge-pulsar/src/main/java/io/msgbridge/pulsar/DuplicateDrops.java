package io.msgbridge.pulsar;

import io.msgbridge.backend.DurationText;
import io.msgbridge.backend.Plural;
import io.msgbridge.spi.SinkEvents;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.MessageIdAdv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the records a deduplicating producer's broker dropped as duplicates of records it had stored,
 * and logs them as one summary line per {@link #EVERY} in which there were any, instead of
 * pulsar-client's warning per message (which the daemon's logging silences). A replay after a crash is
 * deduplication at work, so the line is INFO. The broker confirms such a publish without storing it:
 * the receipt, and so the send's {@link MessageId}, has ledger and entry -1.
 *
 * <p>{@link #confirmed} runs on pulsar-client threads, {@link #summarise} on the sink's scheduler; both
 * only count and log.
 */
final class DuplicateDrops {
    private static final Logger LOG = LoggerFactory.getLogger(DuplicateDrops.class);
    static final Duration EVERY = Duration.ofSeconds(30);

    private final String where;
    private final SinkEvents events;
    private final AtomicLong sinceSummary = new AtomicLong();
    private final AtomicLong total = new AtomicLong();

    DuplicateDrops(String where, SinkEvents events) {
        this.where = where;
        this.events = events;
    }

    /** Whether {@code id}, of a confirmed send, says that the broker dropped the message as a duplicate. */
    static boolean dropped(MessageId id) {
        return id instanceof MessageIdAdv adv && adv.getLedgerId() == -1 && adv.getEntryId() == -1;
    }

    /** A send was confirmed with {@code id}: counts it when the broker dropped it as a duplicate. */
    void confirmed(MessageId id) {
        if (dropped(id)) {
            sinceSummary.incrementAndGet();
            total.incrementAndGet();
            events.duplicatesDropped(1);
        }
    }

    /** Logs the drops since the last summary, if any; called every {@link #EVERY} and at close. */
    void summarise() {
        long n = sinceSummary.getAndSet(0);
        if (n > 0) {
            LOG.info("{}: the broker dropped {} as duplicates of records it had stored (deduplication, e.g. a replay"
                    + " after a restart; {} since start, bridge_sink_duplicates_dropped_total); summary every {}", where,
                    Plural.of(n, "record"), total.get(), DurationText.format(EVERY));
        }
    }
}
