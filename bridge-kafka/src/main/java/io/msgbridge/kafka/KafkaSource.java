package io.msgbridge.kafka;

import io.msgbridge.spi.BridgeException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Kafka source: a consumer of a list of topics or a topic pattern, run by its own thread
 * ({@link ConsumerLoop}), whose fetched records the pump takes through a bounded {@link Handoff}.
 *
 * <p>Position: partition = {@code TOPIC-N}, offset = the record's offset, sequence = the offset. Each
 * commit the runtime stored is also committed to the consumer group ({@code group}, default
 * {@code bridge-<pipeline>}) as the offset after the watermark, so Kafka's own tools and lag exporters see
 * the bridge's progress. Lag: per partition read, the end offset minus the position, plus the records
 * fetched and not yet taken by the pump ({@code bridge_source_lag}).
 *
 * <p>Threads: {@link #start} and {@link #poll} on the pump thread, {@link #committed} on the committer
 * thread; both only hand over to the consumer thread, which alone uses the client.
 */
final class KafkaSource implements Source {
    private final KafkaConnectionOptions connection;
    private final KafkaSourceOptions options;
    private volatile ConsumerLoop loop;
    private volatile boolean closed;

    KafkaSource(KafkaConnectionOptions connection, KafkaSourceOptions options) {
        this.connection = connection;
        this.options = options;
    }

    @Override
    public void start(SourceContext context) throws InterruptedException {
        String where = context.pipeline() + ": kafka source " + options.describe() + " on " + connection.describe();
        ConsumerLoop before = loop;
        if (before != null) {
            before.close();
        }
        KafkaClients.check(connection, "bridge-" + context.pipeline() + "-source", where);
        ConsumerLoop started = new ConsumerLoop(connection, options, context, where);
        loop = started;
        try {
            started.start(connection.requestTimeout().multipliedBy(3).plusSeconds(10));
        } catch (BridgeException | InterruptedException e) {
            started.close();
            loop = null;
            throw e;
        }
        if (closed) {
            close();
        }
    }

    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        ConsumerLoop l = loop;
        if (l == null || closed) {
            return List.of();
        }
        return l.take(max, timeout);
    }

    @Override
    public void committed(Map<String, Position> watermarks) {
        ConsumerLoop l = loop;
        if (l != null && !closed) {
            l.commit(watermarks);
        }
    }

    @Override
    public boolean connected() {
        ConsumerLoop l = loop;
        return l != null && !closed && l.connected();
    }

    @Override
    public long lag() {
        ConsumerLoop l = loop;
        return l == null || closed ? -1 : l.lag();
    }

    /**
     * Commits to the group what the runtime last stored, leaves the group (in {@code mode: group} its
     * partitions are given to the other members) and closes the consumer. Records handed out and not
     * committed are read again by the next reader of their partition.
     */
    @Override
    public void close() {
        closed = true;
        ConsumerLoop l = loop;
        if (l != null) {
            l.close();
        }
    }
}
