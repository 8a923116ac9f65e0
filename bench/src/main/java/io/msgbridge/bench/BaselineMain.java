package io.msgbridge.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The baseline variant, run as its own process: a plain loop on the client libraries that consumes
 * from the source, publishes to the sink and acknowledges the source once the sink confirmed, with
 * at most {@code --max-in-flight} records and 32 MiB of payload unconfirmed (the bridge's defaults; a
 * larger record goes alone), no offset store and no lanes. Prints {@code READY} once it consumes;
 * exits after {@code --records} confirmed records (or when killed, for sources that drop).
 *
 * <p>Usage: {@code BaselineMain --from SPEC --to SPEC --records N [--max-in-flight N] [--payload-bytes N]}
 * ({@code --payload-bytes}: the records' payload size, 1024 by default, which sizes a source's fetches),
 * where SPEC is
 * {@code nats-core:SUBJECT}, {@code jetstream:STREAM}, {@code pulsar:TOPIC},
 * {@code nsq:HOST:PORT/TOPIC/CHANNEL}, {@code kafka:HOST:PORT/TOPIC} or {@code rocketmq:HOST:PORT/TOPIC} (source)
 * and {@code jetstream:SUBJECT}, {@code pulsar:TOPIC}, {@code kafka:HOST:PORT/TOPIC} or
 * {@code rocketmq:HOST:PORT/TOPIC} (sink; RocketMQ's address is a NameServer's). Pulsar's service URL and
 * token come from the environment (see {@link PulsarBaseline}), and so do RocketMQ's credentials (see
 * {@link RocketMqBaseline}).
 */
public final class BaselineMain {
    private static final String PULSAR = "pulsar:";
    private static final String NSQ = "nsq:";
    private static final String KAFKA = "kafka:";
    private static final String ROCKETMQ = "rocketmq:";
    /** The bridge's default {@code max-in-flight.bytes}. */
    private static final int MAX_IN_FLIGHT_BYTES = 32 << 20;

    private BaselineMain() {
    }

    /** One consumed record and how to acknowledge it. */
    record Received(String subject, byte[] payload, String key, String id, Runnable ack) {
    }

    /** A source the loop reads from; {@link #next} returns null when nothing came within the timeout. */
    interface Source extends AutoCloseable {
        Received next(Duration timeout) throws Exception;

        @Override
        void close() throws Exception;
    }

    /** A sink the loop writes to; the future completes when the broker confirmed. */
    interface Sink extends AutoCloseable {
        CompletableFuture<?> publish(Received record);
    }

    public static void main(String[] args) throws Exception {
        String from = arg(args, "--from", null);
        String to = arg(args, "--to", null);
        long records = Long.parseLong(arg(args, "--records", "0"));
        int maxInFlight = Integer.parseInt(arg(args, "--max-in-flight", "2000"));
        int payloadBytes = Integer.parseInt(arg(args, "--payload-bytes", "1024"));
        try (Source source = source(from, maxInFlight, payloadBytes); Sink sink = sink(to, from)) {
            System.out.println("READY");
            System.out.flush();
            run(source, sink, records, maxInFlight);
        }
        System.out.println("DONE");
        System.exit(0);
    }

    private static Source source(String spec, int maxInFlight, int payloadBytes) throws Exception {
        if (spec.startsWith(PULSAR)) {
            return PulsarBaseline.source(spec.substring(PULSAR.length()), maxInFlight);
        }
        if (spec.startsWith(NSQ)) {
            return NsqBaseline.source(spec.substring(NSQ.length()), maxInFlight);
        }
        if (spec.startsWith(KAFKA)) {
            return KafkaBaseline.source(spec.substring(KAFKA.length()), maxInFlight);
        }
        if (spec.startsWith(ROCKETMQ)) {
            return RocketMqBaseline.source(spec.substring(ROCKETMQ.length()), maxInFlight);
        }
        return NatsBaseline.source(spec, maxInFlight, payloadBytes);
    }

    /** The sink {@code spec} names; {@code from}, the source's spec, says what the bridge would carry over from it. */
    private static Sink sink(String spec, String from) throws Exception {
        if (spec.startsWith(PULSAR)) {
            return PulsarBaseline.sink(spec.substring(PULSAR.length()));
        }
        if (spec.startsWith(KAFKA)) {
            return KafkaBaseline.sink(spec.substring(KAFKA.length()), NatsBaseline.isNats(from));
        }
        if (spec.startsWith(ROCKETMQ)) {
            return RocketMqBaseline.sink(spec.substring(ROCKETMQ.length()), NatsBaseline.isNats(from));
        }
        return NatsBaseline.sink(spec);
    }

    private static void run(Source source, Sink sink, long records, int maxInFlight) throws Exception {
        Semaphore inFlight = new Semaphore(maxInFlight);
        Semaphore inFlightBytes = new Semaphore(MAX_IN_FLIGHT_BYTES);
        AtomicLong confirmed = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        while (records <= 0 || confirmed.get() < records) {
            Throwable failed = failure.get();
            if (failed != null) {
                throw new IllegalStateException("sink failed: " + failed, failed);
            }
            Received record = source.next(Duration.ofMillis(100));
            if (record == null) {
                continue;
            }
            inFlight.acquire();
            int bytes = Math.min(record.payload().length, MAX_IN_FLIGHT_BYTES);
            inFlightBytes.acquire(bytes);
            sink.publish(record).whenComplete((ignored, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else {
                    record.ack().run();
                    confirmed.incrementAndGet();
                }
                inFlightBytes.release(bytes);
                inFlight.release();
            });
        }
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        if (fallback == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return fallback;
    }
}
