package io.msgbridge.pulsar;

import org.apache.pulsar.client.api.BatcherBuilder;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.ProducerBuilder;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Producers created on first use, cached by {@link ProducerRouter.ProducerKey}, and closed by
 * {@link #closeIdle()} when not used for the sink's {@code producer-idle-timeout}. A producer whose
 * creation failed is dropped from the cache, so the next publish tries again. Thread-safe.
 */
final class ProducerCache {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerCache.class);

    private final PulsarClient client;
    private final PulsarSinkOptions options;
    private final String pipeline;
    private final Clock clock;

    private final Map<ProducerRouter.ProducerKey, Entry> producers = new ConcurrentHashMap<>();
    /**
     * How stale an entry's last use may get: a second, or a quarter of the idle timeout when that is
     * shorter. Every lane publishes through the same entry, and a volatile write on each publish kept
     * its cache line moving between cores (it showed in the Pulsar benchmark's profile).
     */
    private final long useMarkMillis;

    /** A cached producer (maybe still being created) and when it was last used. */
    static final class Entry {
        final CompletableFuture<Producer<byte[]>> producer;
        volatile long lastUsedMillis;

        Entry(CompletableFuture<Producer<byte[]>> producer, long now) {
            this.producer = producer;
            this.lastUsedMillis = now;
        }
    }

    ProducerCache(PulsarClient client, PulsarSinkOptions options, String pipeline, Clock clock) {
        this.client = client;
        this.options = options;
        this.pipeline = pipeline;
        this.clock = clock;
        this.useMarkMillis = Math.min(1000, options.producerIdleTimeout().toMillis() / 4);
    }

    /** The producer for {@code key}, created when missing; marks it used. */
    Entry get(ProducerRouter.ProducerKey key) {
        long now = clock.millis();
        Entry entry = producers.get(key);
        if (entry == null) {
            Entry created = new Entry(new CompletableFuture<>(), now);
            entry = producers.putIfAbsent(key, created);
            if (entry == null) {
                entry = created;
                create(key).whenComplete((p, e) -> {
                    if (e != null) {
                        producers.remove(key, created);
                        created.producer.completeExceptionally(e);
                    } else {
                        created.producer.complete(p);
                    }
                });
            }
        }
        if (now - entry.lastUsedMillis >= useMarkMillis) {
            entry.lastUsedMillis = now;
        }
        return entry;
    }

    private CompletableFuture<Producer<byte[]>> create(ProducerRouter.ProducerKey key) {
        ProducerBuilder<byte[]> b = client.newProducer(Schema.BYTES)
                .topic(key.topic())
                .sendTimeout((int) Math.min(Integer.MAX_VALUE, options.sendTimeout().toMillis()), TimeUnit.MILLISECONDS)
                .maxPendingMessages(options.maxPendingMessages())
                .compressionType(options.compression().pulsar());
        if (key.deduplicating()) {
            /*
             * Never blocks: the sink sends on a deduplicating producer holding the producer's lock (see
             * PulsarSink.sendDeduplicated), and the client frees queue room only under that lock. The queue
             * does not fill: the runtime has at most max-pending-messages records of a source partition
             * at the sink (the sink's ordering window), and such a producer takes one partition's records.
             */
            b.producerName(key.name()).enableBatching(false).blockIfQueueFull(false);
        } else {
            b.blockIfQueueFull(options.blockIfQueueFull());
            Batching batching = options.batching();
            b.enableBatching(batching.enabled());
            if (batching.enabled()) {
                b.batchingMaxPublishDelay(batching.maxDelay().toNanos(), TimeUnit.NANOSECONDS)
                        .batchingMaxMessages(batching.maxMessages())
                        .batcherBuilder(batching.keyBased() ? BatcherBuilder.KEY_BASED : BatcherBuilder.DEFAULT);
            }
        }
        return b.createAsync();
    }

    /** Closes producers not used for the idle timeout. Called by the sink's scheduler. */
    void closeIdle() {
        long cutoff = clock.millis() - options.producerIdleTimeout().toMillis();
        producers.forEach((key, entry) -> {
            if (entry.lastUsedMillis < cutoff && producers.remove(key, entry)) {
                LOG.debug("{}: closing idle producer for {}", pipeline, key.topic());
                entry.producer.thenAccept(Producer::closeAsync);
            }
        });
    }

    /** Whether every producer that exists is connected (true when there is none). */
    boolean allConnected() {
        for (Entry entry : producers.values()) {
            Producer<byte[]> p = entry.producer.getNow(null);
            if (p != null && !p.isConnected()) {
                return false;
            }
        }
        return true;
    }

    int size() {
        return producers.size();
    }

    /** Flushes and closes every producer, waiting at most {@code timeoutMillis} in all. */
    void closeAll(long timeoutMillis) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Entry entry : producers.values()) {
            Producer<byte[]> p = entry.producer.getNow(null);
            if (p != null) {
                closing.add(p.flushAsync().exceptionally(e -> null).thenCompose(x -> p.closeAsync()));
            }
        }
        producers.clear();
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("{}: closing producers: {}", pipeline, e.toString());
        }
    }
}
