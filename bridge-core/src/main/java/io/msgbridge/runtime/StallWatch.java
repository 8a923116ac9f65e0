package io.msgbridge.runtime;

import io.msgbridge.backend.DurationText;
import io.msgbridge.spi.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * Tells when a pipeline cannot move although nothing failed loudly: a record has waited
 * {@code stall-timeout} without being done (at the sink, held, or behind its key), or the source reports
 * a backlog while the pump, with room in flight, has been handed nothing for that long (a client that
 * stopped fetching). A stalled pipeline is not ready; the stall is logged once, naming the partition
 * and position, and once more when it ends; the {@code bridge_stalled} gauge follows it. Checked by the
 * commit loop at every commit interval.
 */
final class StallWatch {
    private static final Logger LOG = LoggerFactory.getLogger(StallWatch.class);
    /** How recently the pump must have polled for an idle source to count as stalled rather than the pipeline full. */
    private static final long POLLING_MILLIS = 5_000;

    private final Duration timeout;
    private final String sourceDescription;
    private final Source source;
    private final SourceProgress progress;
    private final OffsetTracker tracker;
    private final Clock clock;
    private volatile String stall;

    StallWatch(Duration timeout, String sourceDescription, Source source, SourceProgress progress, OffsetTracker tracker,
               Clock clock) {
        this.timeout = timeout;
        this.sourceDescription = sourceDescription;
        this.source = source;
        this.progress = progress;
        this.tracker = tracker;
        this.clock = clock;
    }

    void check() {
        String found = find(clock.millis());
        String before = stall;
        stall = found;
        if (found != null && before == null) {
            LOG.error("stalled: {}", found);
        } else if (found == null && before != null) {
            LOG.info("moving again after a stall ({})", before);
        }
    }

    private String find(long now) {
        OffsetTracker.Oldest oldest = tracker.oldest();
        if (oldest != null && now - oldest.registeredAtMillis() > timeout.toMillis()) {
            return "record " + oldest.position() + " has waited " + waited(now - oldest.registeredAtMillis())
                    + " without being delivered or dead-lettered (stall-timeout " + DurationText.format(timeout)
                    + "); see the pipeline's last error, and 'bridge offsets' to move past it";
        }
        long lag = source.lag();
        if (lag > 0 && now - progress.lastPollMillis() < POLLING_MILLIS
                && now - progress.lastRecordsMillis() > timeout.toMillis()) {
            return "source " + sourceDescription + " reports " + lag + " records waiting but has handed out none for "
                    + waited(now - progress.lastRecordsMillis()) + " (stall-timeout "
                    + DurationText.format(timeout) + ")";
        }
        return null;
    }

    private static String waited(long millis) {
        return DurationText.format(Duration.ofSeconds(millis / 1000));
    }

    /** What stalls the pipeline now, or null. */
    String stall() {
        return stall;
    }
}
