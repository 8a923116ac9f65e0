package io.msgbridge.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

import java.util.List;
import java.util.Map;

/**
 * Drops what broker clients log per message or per retry, which the backends report themselves, tagged
 * with their pipeline, once per change of state:
 * <ul>
 *   <li>pulsar-client (4.0): each message a deduplicating producer's broker dropped as a duplicate (the
 *       sink counts them, {@code bridge_sink_duplicates_dropped_total}, and logs a summary), and each
 *       failed attempt to reach a broker, often with a stack trace (the pipeline's retry logs its attempts
 *       with the cause; a sink that loses its broker logs the loss and the reconnect);</li>
 *   <li>kafka-clients: each failed attempt to connect to a broker, about once a second per client while
 *       none answers (a starting pipeline's retry logs its attempts with the cause; a running source logs
 *       the loss of every connection and the reconnect).</li>
 * </ul>
 * Matched on the clients' message templates, before formatting, so a dropped line costs no formatting;
 * every other client line, and every ERROR, passes. Installed by {@code logback-levels.xml}.
 */
public final class ClientNoise extends TurboFilter {
    /** Per logger name prefix, what the lines to drop start with or contain. */
    private static final Map<String, List<String>> NOISE = Map.of(
            "org.apache.pulsar.client.impl.", List.of(
                    // ProducerImpl.printWarnLogWhenCanNotDetermineDeduplication and ClientCnx.handleSendReceipt, per message
                    "has been dropped",
                    "is definitely a duplicate",
                    // ConnectionPool, ConnectionHandler, PulsarClientImpl, BinaryProtoLookupService, ConsumerImpl, per attempt
                    "Failed to open connection to",
                    "Could not get connection",
                    "Error connecting to broker",
                    "Closed connection {} -- Will try again"),
            "org.apache.kafka.clients.NetworkClient", List.of(
                    // NetworkClient.processDisconnection, per attempt (the template carries the client's log prefix)
                    "could not be established. Node may not be available",
                    "disconnected"));

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null || logger == null || level.isGreaterOrEqual(Level.ERROR)) {
            return FilterReply.NEUTRAL;
        }
        for (Map.Entry<String, List<String>> client : NOISE.entrySet()) {
            if (logger.getName().startsWith(client.getKey())) {
                for (String noise : client.getValue()) {
                    if (format.contains(noise)) {
                        return FilterReply.DENY;
                    }
                }
                return FilterReply.NEUTRAL;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
