package io.msgbridge.builtin;

import io.msgbridge.backend.OrderGate;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.SinkOrdering;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * Writes each record as one line ({@link RecordLines}) to the daemon's standard output, or to the stream it
 * is given. A publish completes once its line is written and flushed, before {@link #publish} returns; lines
 * are written whole, one at a time, so lines of records published from several lanes never mix, and a key's
 * records appear in the order they were published. A write that fails (the reader of a pipe went away) is
 * an outage (retriable, {@linkplain RetriableException#unavailable unavailable}): the runtime retries it with
 * backoff for as long as it takes, and the sink reports itself not connected meanwhile.
 */
final class StdoutSink implements Sink {
    /** As many of a key's records in flight as the NATS core sink allows; each is written before the next is taken. */
    private static final int WINDOW = 1024;

    private final StdoutOptions options;
    private final OutputStream out;
    private final OrderGate gate = new OrderGate(false);
    private final Object writing = new Object();
    private volatile boolean started;
    private volatile boolean closed;
    private volatile boolean failing;

    /**
     * @param out where lines go; never closed by the sink (it is the process's standard output)
     */
    StdoutSink(StdoutOptions options, OutputStream out) {
        this.options = options;
        this.out = out;
    }

    @Override
    public void start(SinkContext context) {
        started = true;
    }

    @Override
    public CompletableFuture<Void> publish(OutboundRecord record) {
        if (!started || closed) {
            return CompletableFuture.failedFuture(new RetriableException("stdout sink is " + (closed ? "closed" : "not started")));
        }
        if (!gate.admit(record)) {
            return CompletableFuture.failedFuture(new RetriableException("stdout: holds record " + record.id()
                    + " until the earlier record of its key that failed is written again"));
        }
        byte[] line = RecordLines.line(record, options.format());
        try {
            synchronized (writing) {
                out.write(line);
                out.flush();
            }
            failing = false;
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            failing = true;
            gate.failed(record);
            return CompletableFuture.failedFuture(RetriableException.unavailable("stdout: cannot write record " + record.source()
                    + ": " + e.getMessage() + "; whatever reads the daemon's standard output (a pipe, a file) must take it", e));
        }
    }

    @Override
    public SinkOrdering ordering() {
        return SinkOrdering.pipelined(WINDOW);
    }

    @Override
    public boolean connected() {
        return started && !closed && !failing;
    }

    /** Flushes; leaves the stream open, as it is the process's standard output. */
    @Override
    public void close() {
        closed = true;
        synchronized (writing) {
            try {
                out.flush();
            } catch (IOException e) {
                // nothing is lost: every line was flushed before its publish completed
            }
        }
    }
}
