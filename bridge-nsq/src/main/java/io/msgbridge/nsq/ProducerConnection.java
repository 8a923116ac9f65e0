package io.msgbridge.nsq;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;

/**
 * A sink's nsqd connection with pipelined publishes: each command written is queued here, and each
 * {@code OK} or {@code E_*} that comes back answers the oldest one (nsqd answers a connection's
 * commands in order; heartbeats are answered by {@link NsqConnection} and never matched).
 */
final class ProducerConnection implements NsqConnection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerConnection.class);

    private final String pipeline;
    private final NsqConnection connection;
    private final Consumer<String> refusedIds;
    private final Deque<PublishBatch> awaiting = new ConcurrentLinkedDeque<>();

    ProducerConnection(String pipeline, NsqConnection connection, Consumer<String> refusedIds) {
        this.pipeline = pipeline;
        this.connection = connection;
        this.refusedIds = refusedIds;
    }

    NsqAddress address() {
        return connection.address();
    }

    boolean isOpen() {
        return connection.isOpen();
    }

    int awaiting() {
        return awaiting.size();
    }

    /**
     * Writes the batch's command. When the write fails the batch stays queued for nsqd's answer (an
     * error sent before it closed) or for {@link #onClosed}; when the reader has already ended, it fails
     * here as retriable. Writer thread only.
     */
    void write(PublishBatch batch) {
        awaiting.addLast(batch);
        if (!connection.send(batch.command()) && connection.readerDone() && awaiting.remove(batch)) {
            batch.fail(PublishErrors.lost(address(), null));
        }
    }

    @Override
    public void onMessage(NsqConnection c, NsqMessage message) {
        LOG.warn("[{}] nsqd {} sent a message to a publishing connection; ignored", pipeline, address());
    }

    @Override
    public void onResponse(NsqConnection c, String response) {
        PublishBatch batch = awaiting.pollFirst();
        if (batch == null) {
            LOG.warn("[{}] nsqd {} answered {} with no publish waiting", pipeline, address(), response);
        } else if ("OK".equals(response)) {
            batch.confirm();
        } else {
            batch.fail(PublishErrors.of(new NsqError("E_UNEXPECTED", response), batch, address()));
        }
    }

    @Override
    public void onError(NsqConnection c, NsqError error) {
        PublishBatch batch = awaiting.pollFirst();
        if (batch == null) {
            LOG.warn("[{}] nsqd {} sent {} with no publish waiting", pipeline, address(), error);
            return;
        }
        if (PublishErrors.aboutTheRecord(error) && batch.records().size() > 1) {
            batch.records().forEach(r -> refusedIds.accept(r.id()));
        }
        batch.fail(PublishErrors.of(error, batch, address()));
    }

    @Override
    public void onClosed(NsqConnection c, Exception cause) {
        if (cause != null) {
            LOG.warn("[{}] connection to nsqd {} lost: {}", pipeline, address(), cause.toString());
        }
        PublishBatch batch;
        while ((batch = awaiting.pollFirst()) != null) {
            batch.fail(PublishErrors.lost(address(), cause));
        }
    }

    void close() {
        connection.close();
    }
}
