package io.msgbridge.deadletter;

import com.zaxxer.hikari.HikariDataSource;
import io.msgbridge.runtime.DeadLetterHeaders;
import io.msgbridge.spi.BridgeException;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A dead-letter route into a PostgreSQL table ({@link PostgresDeadLetterTable}). {@link #publish}
 * only enqueues; one writer thread inserts what is queued in batches of up to {@value #BATCH} rows,
 * one transaction each, and completes the futures once the transaction committed, so a record is
 * confirmed only when its row is durable. A failed batch fails all its records (retriable for an
 * outage, permanent for data the table refuses); the runtime then holds them and tries again. The
 * queue holds at most the pipeline's in-flight records, which the pipeline bounds.
 */
final class PostgresDeadLetterSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresDeadLetterSink.class);
    private static final int BATCH = 500;
    private static final Duration IDLE_PROBE = Duration.ofSeconds(1);

    private record Pending(OutboundRecord record, CompletableFuture<Void> done) {
    }

    private final PostgresDeadLetterTable table;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private volatile HikariDataSource pool;
    private volatile Thread writer;
    private volatile boolean healthy;
    private volatile boolean closed;
    private String where = "dead-letter table";

    PostgresDeadLetterSink(PostgresDeadLetterTable table) {
        this.table = table;
    }

    @Override
    public void start(SinkContext context) throws InterruptedException {
        where = context.pipeline() + ": dead-letter table " + table.describe() + " on " + table.url();
        HikariDataSource ds = table.pool("msgbridge-dead-letters-" + context.pipeline(), 2);
        try {
            createTable(ds);
        } catch (SQLException e) {
            ds.close();
            throw new RetriableException(where + ": cannot create the table: " + e.getMessage(), e);
        }
        pool = ds;
        healthy = true;
        String pipeline = context.pipeline();
        writer = Thread.ofVirtual().name(pipeline + "-dead-letter-writer").start(() -> {
            MDC.put("pipeline", pipeline);
            writeLoop();
        });
        LOG.info("{}: ready", where);
    }

    private void createTable(HikariDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(table.createSchema());
            st.execute(table.createTable());
            c.commit();
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
                throw e;
            }
            LOG.debug("{}: created concurrently by another pipeline", where);
        }
    }

    @Override
    public CompletableFuture<Void> publish(OutboundRecord record) {
        if (pool == null || closed) {
            return CompletableFuture.failedFuture(new RetriableException(where + " is " + (closed ? "closed" : "not started")));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Pending(record, done));
        return done;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(BATCH);
        try {
            while (!closed) {
                Pending first = queue.poll(IDLE_PROBE.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (!healthy) {
                        probe();
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                write(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            failAll(batch, new RetriableException(where + " is closed"));
            List<Pending> rest = new ArrayList<>();
            queue.drainTo(rest);
            failAll(rest, new RetriableException(where + " is closed"));
        }
    }

    private void write(List<Pending> batch) {
        try (Connection c = pool.getConnection(); PreparedStatement insert = c.prepareStatement(table.insert())) {
            for (Pending p : batch) {
                bind(insert, p.record());
                insert.addBatch();
            }
            insert.executeBatch();
            c.commit();
            healthy = true;
            batch.forEach(p -> p.done().complete(null));
        } catch (SQLException e) {
            String state = e.getSQLState();
            boolean permanent = state != null && (state.startsWith("22") || state.startsWith("23"));
            String message = where + ": inserting " + batch.size() + " records failed: " + e.getMessage();
            healthy = permanent;
            failAll(batch, permanent ? new PermanentException(message, e) : new RetriableException(message, e));
        } catch (RuntimeException e) {
            failAll(batch, new RetriableException(where + ": inserting failed: " + e, e));
        }
    }

    private static void bind(PreparedStatement insert, OutboundRecord record) throws SQLException {
        Message m = record.message();
        DeadLetter d = DeadLetter.of(m).orElse(new DeadLetter("", "", m.topic(), record.source().partition(),
                record.source().offset(), "", "", "", 0, 0, null, null));
        int i = 1;
        insert.setString(i++, PostgresText.clean(record.id()));
        insert.setString(i++, PostgresText.clean(d.pipeline()));
        insert.setString(i++, PostgresText.clean(d.source()));
        insert.setString(i++, PostgresText.clean(d.topic()));
        insert.setString(i++, PostgresText.clean(d.partition()));
        insert.setString(i++, PostgresText.clean(d.position()));
        insert.setString(i++, PostgresText.clean(d.stage()));
        insert.setString(i++, PostgresText.clean(d.errorClass()));
        insert.setString(i++, PostgresText.clean(d.errorMessage()));
        insert.setInt(i++, d.attempts());
        insert.setInt(i++, d.replays());
        timestamp(insert, i++, d.firstFailedAt());
        timestamp(insert, i++, d.lastFailedAt());
        insert.setString(i++, PostgresText.clean(record.key()));
        timestamp(insert, i++, m.eventTime());
        insert.setString(i++, HeadersJson.write(DeadLetterHeaders.original(m.headers())));
        insert.setBytes(i, m.payload());
    }

    private static void timestamp(PreparedStatement st, int index, Instant instant) throws SQLException {
        if (instant == null) {
            st.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            st.setTimestamp(index, Timestamp.from(instant));
        }
    }

    private void probe() {
        try (Connection c = pool.getConnection()) {
            healthy = c.isValid(5);
        } catch (SQLException e) {
            healthy = false;
        }
    }

    private static void failAll(List<Pending> batch, BridgeException error) {
        batch.forEach(p -> p.done().completeExceptionally(error));
    }

    @Override
    public boolean connected() {
        return pool != null && !closed && healthy;
    }

    @Override
    public void close() {
        closed = true;
        Thread w = writer;
        if (w != null) {
            w.interrupt();
            try {
                w.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        HikariDataSource ds = pool;
        if (ds != null) {
            ds.close();
        }
    }
}
