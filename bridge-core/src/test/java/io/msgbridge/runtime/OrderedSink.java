package io.msgbridge.runtime;

import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.SinkOrdering;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An in-memory sink of our own SPI that keeps order as a pipelining broker connection does: it stores
 * records in the order they are published and confirms them, in that order, on a thread of its own. A
 * script decides per attempt whether it fails. With {@code strict}, after a failure it fails every later
 * record of that ordering key until the runtime resumes the key ({@link OutboundRecord#resumes()}), as
 * {@link SinkOrdering} asks of a sink that promises strict order; without, later records are stored
 * (a broker that cannot promise it).
 */
final class OrderedSink implements Sink {
    private final SinkOrdering ordering;
    private final boolean strict;
    private final Function<OutboundRecord, RuntimeException> script;
    private final ExecutorService confirmer = Executors.newSingleThreadExecutor();
    private final List<OutboundRecord> stored = new ArrayList<>();
    private final Set<String> failedKeys = new HashSet<>();
    private int published;
    private int mostUnconfirmed;
    private int unconfirmed;

    OrderedSink(SinkOrdering ordering, boolean strict, Function<OutboundRecord, RuntimeException> script) {
        this.ordering = ordering;
        this.strict = strict;
        this.script = script;
    }

    @Override
    public void start(SinkContext context) {
    }

    @Override
    public SinkOrdering ordering() {
        return ordering;
    }

    @Override
    public synchronized CompletableFuture<Void> publish(OutboundRecord record) {
        published++;
        unconfirmed++;
        mostUnconfirmed = Math.max(mostUnconfirmed, unconfirmed);
        String key = ordering.scope() == SinkOrdering.Scope.SOURCE_PARTITION || record.key() == null
                ? record.source().partition() : record.key();
        RuntimeException failure;
        if (record.resumes()) {
            failedKeys.remove(key);
        }
        if (strict && failedKeys.contains(key)) {
            failure = new io.msgbridge.spi.RetriableException("behind a failed record of key " + key);
        } else {
            failure = script.apply(record);
        }
        if (failure == null) {
            stored.add(record);
        } else {
            failedKeys.add(key);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        confirmer.execute(() -> {
            synchronized (this) {
                unconfirmed--;
            }
            if (failure == null) {
                future.complete(null);
            } else {
                future.completeExceptionally(failure);
            }
        });
        return future;
    }

    synchronized List<OutboundRecord> stored() {
        return List.copyOf(stored);
    }

    synchronized List<String> payloads() {
        return stored.stream().map(r -> new String(r.message().payload())).toList();
    }

    synchronized int published() {
        return published;
    }

    /** The most records that were unconfirmed at once. */
    synchronized int mostUnconfirmed() {
        return mostUnconfirmed;
    }

    @Override
    public boolean connected() {
        return true;
    }

    @Override
    public void close() {
        confirmer.shutdownNow();
    }
}
