package io.msgbridge.deadletter;

import io.msgbridge.config.PipelineConfig;
import io.msgbridge.readback.ReadToEnd;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;

import java.util.function.Consumer;

/**
 * Reads a pipeline's dead-letter route back, without consuming it, and hands every dead letter that
 * matches a filter to a consumer, in the route's order.
 */
public final class DeadLetterListing {

    /**
     * One dead letter.
     *
     * @param at         where it stands in the dead-letter route
     * @param message    the dead-lettered message, with its {@code bridge.error.*} headers
     * @param deadLetter what those headers say
     */
    public record Entry(Position at, Message message, DeadLetter deadLetter) {
    }

    private DeadLetterListing() {
    }

    /** The read-back of {@code pipeline}'s dead-letter route; a clear error when it has none. */
    public static Connector.SourceSpec reader(PipelineConfig pipeline) {
        Connector.SinkSpec route = pipeline.deadLetter().orElseThrow(() -> new PermanentException(
                "pipeline " + pipeline.name() + " has no dead-letter route (dead-letter: in its config)"));
        return route.reader().orElseThrow(() -> new PermanentException("pipeline " + pipeline.name()
                + ": the dead-letter route " + route.describe() + " cannot be read back (use a JetStream subject "
                + "or a postgres table as the dead-letter route)"));
    }

    /**
     * Reads the route to its end as of now and calls {@code out} for each matching dead letter.
     * Returns how many matched.
     *
     * @throws io.msgbridge.spi.BridgeException when the route cannot be read
     */
    public static long list(PipelineConfig pipeline, DeadLetterFilter filter, Consumer<Entry> out) throws InterruptedException {
        long[] matched = {0};
        ReadToEnd.read(reader(pipeline), pipeline.name() + "~list", record -> {
            var deadLetter = DeadLetter.of(record.message());
            if (deadLetter.isPresent() && filter.matches(record.message(), deadLetter.get())) {
                matched[0]++;
                out.accept(new Entry(record.position(), record.message(), deadLetter.get()));
            }
        });
        return matched[0];
    }
}
