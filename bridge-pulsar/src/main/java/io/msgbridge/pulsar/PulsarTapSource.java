package io.msgbridge.pulsar;

import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tap on a Pulsar topic ({@link Connector.SinkSpec#tap}): a {@link Reader}, which reads through a
 * non-durable cursor of its own, so no subscription is left behind, nothing is acknowledged and no
 * subscription's backlog changes. A partitioned topic is read partition by partition in parallel
 * (each in order). Position: partition = the partition's topic, offset = the MessageId token.
 */
final class PulsarTapSource implements Source {
    private static final long WAIT_SLICE_MS = 100;

    private final PulsarConnectionOptions connection;
    private final String topic;
    private final Connector.TapFrom from;
    private volatile PulsarClient client;
    private volatile Reader<byte[]> reader;
    private volatile boolean closed;
    private String where = "pulsar tap";

    PulsarTapSource(PulsarConnectionOptions connection, String topic, Connector.TapFrom from) {
        this.connection = connection;
        this.topic = topic;
        this.from = from;
    }

    @Override
    public void start(SourceContext context) throws InterruptedException {
        where = context.pipeline() + ": pulsar tap of " + topic + " on " + connection.describe();
        PulsarClient c = PulsarClients.create(connection, where, context.readAhead());
        try {
            reader = c.newReader(Schema.BYTES).topic(topic)
                    .startMessageId(from == Connector.TapFrom.START ? MessageId.earliest : MessageId.latest)
                    .readerName("bridge-" + context.pipeline())
                    .create();
            client = c;
        } catch (PulsarClientException e) {
            PulsarClients.closeQuietly(c);
            throw PulsarFailures.onStart(where, connection.auth(), PulsarClients.explain(connection, "cannot read"), e);
        } catch (RuntimeException e) {
            PulsarClients.closeQuietly(c);
            throw e;
        }
        if (closed) {
            close();
        }
    }

    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        Reader<byte[]> r = reader;
        List<SourceRecord> records = new ArrayList<>();
        if (r == null) {
            return records;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!closed && records.size() < max) {
                long leftMs = records.isEmpty() ? TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) : 0;
                Message<byte[]> m = leftMs > 0 ? r.readNext((int) Math.min(leftMs, WAIT_SLICE_MS), TimeUnit.MILLISECONDS)
                        : r.readNext(0, TimeUnit.MILLISECONDS);
                if (m != null) {
                    MessageId id = m.getMessageId();
                    records.add(new SourceRecord(PulsarMessageMapper.toBridge(m),
                            new Position(m.getTopicName(), MessageIds.token(id), MessageIds.sequence(id))));
                } else if (!records.isEmpty() || System.nanoTime() >= deadline) {
                    break;
                }
            }
            return records;
        } catch (PulsarClientException e) {
            if (closed) {
                return records;
            }
            throw new RetriableException(where + ": read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean connected() {
        Reader<byte[]> r = reader;
        return r != null && r.isConnected();
    }

    @Override
    public void close() {
        closed = true;
        Reader<byte[]> r = reader;
        if (r != null) {
            try {
                r.close();
            } catch (java.io.IOException e) {
                // a reader's cursor is not durable: nothing is lost by closing it badly
            }
        }
        PulsarClient c = client;
        if (c != null) {
            PulsarClients.closeQuietly(c);
        }
    }
}
