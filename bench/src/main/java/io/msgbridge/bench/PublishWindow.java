package io.msgbridge.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Asynchronous publishes of one producer with at most {@code size} unconfirmed, and the first failure:
 * how the orchestrator feeds a broker fast with bounded memory. Thread-safe.
 */
final class PublishWindow {
    /** The most payload bytes a window holds unconfirmed, whatever the records' size. */
    private static final long MAX_BYTES = 32L << 20;

    private final int size;
    private final Semaphore room;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    PublishWindow(int size) {
        this.size = size;
        this.room = new Semaphore(size);
    }

    /**
     * A window of {@code records} records of {@code payloads}' size, or fewer so that it holds at most
     * {@link #MAX_BYTES} of them (at least one): large records are preloaded without holding gigabytes.
     */
    static PublishWindow of(int records, Payloads payloads) {
        return new PublishWindow((int) Math.max(1, Math.min(records, MAX_BYTES / payloads.size())));
    }

    /** Waits for room, then sends; throws when an earlier publish failed. */
    void publish(Supplier<CompletableFuture<?>> send) throws InterruptedException {
        throwIfFailed();
        room.acquire();
        CompletableFuture<?> confirmed;
        try {
            confirmed = send.get();
        } catch (RuntimeException e) {
            room.release();
            throw e;
        }
        confirmed.whenComplete((ignored, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
            room.release();
        });
    }

    /** Waits until every publish so far was confirmed; throws when one failed. */
    void flush() throws InterruptedException {
        room.acquire(size);
        room.release(size);
        throwIfFailed();
    }

    private void throwIfFailed() {
        Throwable failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("publish failed: " + failed, failed);
        }
    }
}
