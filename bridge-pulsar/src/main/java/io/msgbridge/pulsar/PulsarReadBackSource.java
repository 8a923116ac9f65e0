package io.msgbridge.pulsar;

import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.MessageIdAdv;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.common.naming.TopicName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The read-back of a Pulsar sink with a fixed topic ({@link io.msgbridge.spi.Connector.SinkSpec#reader()},
 * for {@code bridge dlq list|replay}), or the reading of a source's topics without consuming them
 * ({@link io.msgbridge.spi.Connector.SourceSpec#reader()}, for {@code bridge verify}): a Pulsar
 * {@link Reader} per partition (a non-durable subscription the broker drops when the reader closes: no
 * cursor is left behind and no other subscription moves), from the earliest message or after the stored
 * position, up to the partition's last message id as of {@link #start} (or until the reader has nothing
 * more to read, as when retention removed what was up to there). A topic that does not exist is read as
 * empty, and not created.
 *
 * <p>Position: as {@link PulsarSource} gives them: partition = the full partition name (the topic for a
 * non-partitioned one), offset = {@link MessageIds#token}, sequence = {@link MessageIds#sequence}.
 * {@link #poll} runs on the caller's thread; {@link #close} from another thread ends a blocked poll
 * within {@value #WAIT_SLICE_MS} ms.
 */
final class PulsarReadBackSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(PulsarReadBackSource.class);
    private static final long WAIT_SLICE_MS = 100;

    private final PulsarConnectionOptions connection;
    private final List<String> topics;
    private final List<PartitionReader> reading = new ArrayList<>();
    private volatile PulsarClient client;
    private volatile boolean closed;
    private volatile boolean started;
    private String where = "pulsar read-back";

    /** One partition: its reader, where its end is, and what is skipped at its start. */
    private static final class PartitionReader {
        final String partition;
        final Reader<byte[]> reader;
        final MessageIdAdv last;
        final MessageIdAdv after;

        PartitionReader(String partition, Reader<byte[]> reader, MessageIdAdv last, MessageIdAdv after) {
            this.partition = partition;
            this.reader = reader;
            this.last = last;
            this.after = after;
        }
    }

    PulsarReadBackSource(PulsarConnectionOptions connection, List<String> topics) {
        this.connection = connection;
        this.topics = List.copyOf(topics);
    }

    @Override
    public void start(SourceContext context) throws InterruptedException {
        where = context.pipeline() + ": pulsar read-back of " + (topics.size() == 1 ? "topic " : "topics ")
                + String.join(", ", topics) + " on " + connection.describe();
        PulsarClient c = PulsarClients.create(connection, where, context.readAhead());
        client = c;
        try {
            int queue = Math.max(1, Math.min(PulsarSourceOptions.DEFAULT_RECEIVER_QUEUE, context.maxInFlight()));
            for (String topic : topics) {
                for (String partition : partitions(c, topic)) {
                    open(c, partition, stored(context.stored(), partition), queue, context.pipeline());
                }
            }
        } catch (PulsarClientException e) {
            close();
            throw PulsarFailures.onStart(where, connection.auth(), PulsarClients.explain(connection, "cannot read"), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        started = true;
    }

    /**
     * The partitions of {@code topic} as full names (itself when it is not partitioned); none when it does
     * not exist. Asks without creating it, as a reader would on a broker that creates topics on first use.
     */
    private List<String> partitions(PulsarClient c, String topic) throws PulsarClientException, InterruptedException {
        try {
            return c.getPartitionsForTopic(topic, false).get(connection.operationTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .stream().map(p -> TopicName.get(p).toString()).toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PulsarClientException.NotFoundException
                    || e.getCause() instanceof PulsarClientException.TopicDoesNotExistException) {
                LOG.info("{}: topic {} does not exist: nothing to read", where, topic);
                return List.of();
            }
            throw e.getCause() instanceof PulsarClientException p ? p : new PulsarClientException(e.getCause());
        } catch (TimeoutException e) {
            throw new PulsarClientException.TimeoutException("no partition metadata for topic " + topic + " in "
                    + connection.operationTimeout().toMillis() + " ms");
        }
    }

    private MessageIdAdv stored(Map<String, Position> stored, String partition) {
        Position position = stored.get(partition);
        if (position == null) {
            return null;
        }
        try {
            return MessageIds.parse(position.offset(), partition);
        } catch (IllegalArgumentException e) {
            throw new PermanentException(where + ": the stored position of " + partition + " is unusable: " + e.getMessage(), e);
        }
    }

    /** Opens a reader on {@code partition} unless it holds nothing after {@code after}. */
    private void open(PulsarClient c, String partition, MessageIdAdv after, int queue, String pipeline) throws PulsarClientException {
        Reader<byte[]> reader = c.newReader(Schema.BYTES)
                .topic(partition)
                .startMessageId(after == null ? MessageId.earliest : after)
                .receiverQueueSize(queue)
                .readerName("bridge-" + pipeline + "-read-back")
                .create();
        MessageIdAdv last = (MessageIdAdv) reader.getLastMessageIds().getFirst();
        PartitionReader p = new PartitionReader(partition, reader, last, after);
        if (last.getEntryId() < 0 || after != null && MessageIds.ORDER.compare(after, last) >= 0 && !beforeEndInEntry(after, last)) {
            closeQuietly(p);
        } else {
            synchronized (reading) {
                reading.add(p);
            }
        }
    }

    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<SourceRecord> records = new ArrayList<>();
        try {
            while (!closed && started) {
                for (PartitionReader p : open()) {
                    Message<byte[]> m;
                    while (records.size() < max && (m = p.reader.readNext(0, TimeUnit.MILLISECONDS)) != null) {
                        if (take(p, m, records)) {
                            break;
                        }
                    }
                }
                List<PartitionReader> open = open();
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (!records.isEmpty() || open.isEmpty() || leftMs <= 0) {
                    return records;
                }
                PartitionReader first = open.getFirst();
                Message<byte[]> m = first.reader.readNext((int) Math.min(leftMs, WAIT_SLICE_MS), TimeUnit.MILLISECONDS);
                if (m != null) {
                    take(first, m, records);
                } else if (!first.reader.hasMessageAvailable()) {
                    end(first);
                }
            }
            return records;
        } catch (PulsarClientException e) {
            if (closed || e instanceof PulsarClientException.AlreadyClosedException) {
                return records;
            }
            throw new RetriableException(where + ": reading failed: " + PulsarFailures.scrub(e.getMessage(), connection.auth()), e);
        }
    }

    /**
     * Adds {@code m} to {@code records} unless it is at or before the stored position (a
     * {@code LEDGER:ENTRY} position, or a start inside a batch, is delivered from its entry) or past the
     * end; closes the partition's reader once its end is reached. Whether it did so.
     */
    private boolean take(PartitionReader p, Message<byte[]> m, List<SourceRecord> records) {
        MessageIdAdv id = (MessageIdAdv) m.getMessageId();
        if (p.after != null && MessageIds.ORDER.compare(id, p.after) <= 0) {
            return false;
        }
        int end = toEnd(id, p.last);
        if (end <= 0) {
            Position position = new Position(p.partition, MessageIds.token(id), MessageIds.sequence(id));
            records.add(new SourceRecord(PulsarMessageMapper.toBridge(m), position, 1, SourceRecord.Ack.NONE));
        }
        if (end >= 0) {
            end(p);
            return true;
        }
        return false;
    }

    /**
     * Stops reading {@code p}: its end as of start is reached, or it holds nothing more to read (the
     * broker removed what was up to that end, e.g. by retention).
     */
    private void end(PartitionReader p) {
        synchronized (reading) {
            reading.remove(p);
        }
        closeQuietly(p);
    }

    /**
     * Whether {@code id} is before (-1), at (0) or past (1) {@code last}. The broker names the last
     * message of a batch by its batch index when it can; when it names the entry alone, the last
     * message of the entry's batch is the end.
     */
    private static int toEnd(MessageIdAdv id, MessageIdAdv last) {
        int entry = Long.compare(id.getLedgerId(), last.getLedgerId());
        entry = entry != 0 ? entry : Long.compare(id.getEntryId(), last.getEntryId());
        if (entry != 0) {
            return entry;
        }
        if (last.getBatchIndex() >= 0) {
            return Integer.compare(Math.max(-1, id.getBatchIndex()), last.getBatchIndex());
        }
        return beforeEndInEntry(id, last) ? -1 : 0;
    }

    /** Whether {@code id} is a batch message of {@code last}'s entry before the batch's last, when {@code last} names the entry alone. */
    private static boolean beforeEndInEntry(MessageIdAdv id, MessageIdAdv last) {
        return last.getBatchIndex() < 0 && id.getLedgerId() == last.getLedgerId() && id.getEntryId() == last.getEntryId()
                && id.getBatchIndex() >= 0 && id.getBatchIndex() < id.getBatchSize() - 1;
    }

    private List<PartitionReader> open() {
        synchronized (reading) {
            return List.copyOf(reading);
        }
    }

    @Override
    public boolean connected() {
        return started && !closed && open().stream().allMatch(p -> p.reader.isConnected());
    }

    /** 0 once every partition was read to its end as of start; -1 (unknown) before. */
    @Override
    public long lag() {
        return started && open().isEmpty() ? 0 : -1;
    }

    /** Closes the readers (the broker drops their subscriptions) and the client. */
    @Override
    public void close() {
        closed = true;
        for (PartitionReader p : open()) {
            closeQuietly(p);
        }
        PulsarClients.closeQuietly(client);
    }

    private void closeQuietly(PartitionReader p) {
        try {
            p.reader.closeAsync().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("{}: closing the reader of {}: {}", where, p.partition, e.toString());
        }
    }
}
