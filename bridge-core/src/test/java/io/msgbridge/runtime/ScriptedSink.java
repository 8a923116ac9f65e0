package io.msgbridge.runtime;

import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An in-memory sink of our own SPI for runtime unit tests. It confirms asynchronously after a random
 * delay (so completions arrive out of order), and a script decides per record whether to fail.
 */
class ScriptedSink implements Sink {
    /** Records the sink accepted, in acceptance order. */
    final ConcurrentLinkedQueue<OutboundRecord> accepted = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService confirmer = Executors.newScheduledThreadPool(2);
    private final Random random = new Random(42);
    private final Function<OutboundRecord, RuntimeException> script;
    volatile boolean connected = true;

    /** {@code script} returns the failure for an attempt, or null to accept it. */
    ScriptedSink(Function<OutboundRecord, RuntimeException> script) {
        this.script = script;
    }

    static ScriptedSink accepting() {
        return new ScriptedSink(r -> null);
    }

    List<String> payloads() {
        return accepted.stream().map(r -> new String(r.message().payload())).toList();
    }

    @Override
    public void start(SinkContext context) {
    }

    @Override
    public CompletableFuture<Void> publish(OutboundRecord record) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        int delayMicros;
        synchronized (random) {
            delayMicros = random.nextInt(300);
        }
        confirmer.schedule(() -> {
            RuntimeException failure = script.apply(record);
            if (failure == null) {
                accepted.add(record);
                future.complete(null);
            } else {
                future.completeExceptionally(failure);
            }
        }, delayMicros, TimeUnit.MICROSECONDS);
        return future;
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public void close() {
        confirmer.shutdownNow();
    }
}
