package io.msgbridge.deadletter;

import io.msgbridge.runtime.DeadLetterHeaders;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The dead-letter route of a replay: the pipeline's own route, given back a replayed record that failed
 * again with the origin it had (pipeline, source, partition, position, first failure), its attempts
 * added to the earlier ones and {@code bridge.replays} one higher (the loop guard that
 * {@code --max-replays} reads).
 */
final class ReplayDeadLetterSink implements Sink {
    private final Sink route;
    private final ReplayOrigins origins;

    ReplayDeadLetterSink(Sink route, ReplayOrigins origins) {
        this.route = route;
        this.origins = origins;
    }

    @Override
    public void start(SinkContext context) throws InterruptedException {
        route.start(context);
    }

    @Override
    public CompletableFuture<Void> publish(OutboundRecord record) {
        Optional<DeadLetter> origin = origins.of(record.source());
        if (origin.isEmpty()) {
            return route.publish(record);
        }
        return route.publish(new OutboundRecord(withOrigin(record.message(), origin.get()), record.id(), record.source()));
    }

    static Message withOrigin(Message failedAgain, DeadLetter origin) {
        Headers h = failedAgain.headers();
        int attemptsNow = DeadLetter.of(failedAgain).map(DeadLetter::attempts).orElse(1);
        h = h.with(DeadLetterHeaders.PIPELINE, origin.pipeline())
                .with(DeadLetterHeaders.SOURCE, origin.source())
                .with(DeadLetterHeaders.TOPIC, origin.topic())
                .with(DeadLetterHeaders.PARTITION, origin.partition())
                .with(DeadLetterHeaders.POSITION, origin.position())
                .with(DeadLetterHeaders.ATTEMPTS, Integer.toString(origin.attempts() + attemptsNow))
                .with(DeadLetterHeaders.REPLAYS, Integer.toString(origin.replays() + 1));
        if (origin.firstFailedAt() != null) {
            h = h.with(DeadLetterHeaders.FIRST_FAILED_AT, origin.firstFailedAt().toString());
        }
        return failedAgain.withHeaders(h);
    }

    @Override
    public boolean connected() {
        return route.connected();
    }

    @Override
    public void close() {
        route.close();
    }
}
