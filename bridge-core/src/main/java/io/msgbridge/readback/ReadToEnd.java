package io.msgbridge.readback;

import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a reader source ({@link Connector.SinkSpec#reader()}, {@link Connector.SourceSpec#reader()}) from
 * its start to the end it saw when it started, on the caller's thread, for the operator commands.
 */
public final class ReadToEnd {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int BATCH = 1000;

    private ReadToEnd() {
    }

    /**
     * Calls {@code out} for every record, in the reader's order.
     *
     * @param name the name the reader connects under (logs, client ids), e.g. {@code orders~verify}
     * @throws io.msgbridge.spi.BridgeException when the reader cannot connect or read
     */
    public static void read(Connector.SourceSpec reader, String name, Consumer<SourceRecord> out) throws InterruptedException {
        try (Source source = reader.create()) {
            source.start(new SourceContext(name, SourceContext.Resume.STORE, Map.of(), BATCH));
            while (true) {
                List<SourceRecord> batch = source.poll(BATCH, POLL);
                if (batch.isEmpty() && source.lag() == 0) {
                    return;
                }
                batch.forEach(out);
            }
        }
    }
}
