package io.msgbridge.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

import java.util.List;

/**
 * Drops what pulsar-client (4.0) logs per message or per retry, which the Pulsar backend reports itself,
 * tagged with its pipeline: each message a deduplicating producer's broker dropped as a duplicate (the
 * sink counts them, {@code bridge_sink_duplicates_dropped_total}, and logs a summary), and each failed
 * attempt to reach a broker, often with a stack trace (the pipeline's retry logs its attempts with the
 * cause; a sink that loses its broker logs the loss and the reconnect). Matched on the client's message
 * templates, before formatting, so a dropped line costs no formatting; every other client line passes.
 * Installed by {@code logback-levels.xml}.
 */
public final class PulsarClientNoise extends TurboFilter {
    private static final String CLIENT = "org.apache.pulsar.client.impl.";

    /** Templates of lines of {@code org.apache.pulsar.client.impl} loggers, by how they start or what they contain. */
    private static final List<String> NOISE = List.of(
            // ProducerImpl.printWarnLogWhenCanNotDetermineDeduplication and ClientCnx.handleSendReceipt, per message
            "has been dropped",
            "is definitely a duplicate",
            // ConnectionPool, ConnectionHandler, PulsarClientImpl, BinaryProtoLookupService, ConsumerImpl, per attempt
            "Failed to open connection to",
            "Could not get connection",
            "Error connecting to broker",
            "Closed connection {} -- Will try again");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null || logger == null || !logger.getName().startsWith(CLIENT) || level.isGreaterOrEqual(Level.ERROR)) {
            return FilterReply.NEUTRAL;
        }
        for (String noise : NOISE) {
            if (format.contains(noise)) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
