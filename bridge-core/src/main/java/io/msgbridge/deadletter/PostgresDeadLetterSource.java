package io.msgbridge.deadletter;

import com.zaxxer.hikari.HikariDataSource;
import io.msgbridge.runtime.DeadLetterHeaders;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a dead-letter table back in {@code id} order, from after the stored position up to the
 * largest id when it started (the {@link io.msgbridge.spi.Connector.SinkSpec#reader()} contract). Rows
 * become messages with their original headers plus the {@code bridge.error.*} headers rebuilt from
 * the columns. Position: partition = {@code postgres:SCHEMA.TABLE}, offset and sequence = id. Reading
 * takes no locks and changes nothing.
 */
final class PostgresDeadLetterSource implements Source {
    private final PostgresDeadLetterTable table;
    private volatile HikariDataSource pool;
    private long after;
    private volatile long end;
    private volatile boolean exhausted;
    private String where = "dead-letter table";

    PostgresDeadLetterSource(PostgresDeadLetterTable table) {
        this.table = table;
    }

    @Override
    public void start(SourceContext context) {
        where = context.pipeline() + ": dead-letter table " + table.describe() + " on " + table.url();
        Position stored = context.stored().get(table.describe());
        after = stored != null && stored.hasSequence() ? stored.sequence() : 0;
        HikariDataSource ds = table.pool("msgbridge-dead-letter-reader-" + context.pipeline(), 1);
        try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement(table.selectMaxId())) {
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                end = rs.getLong(1);
            }
            c.rollback();
        } catch (SQLException e) {
            ds.close();
            if ("42P01".equals(e.getSQLState())) {
                end = 0;
                exhausted = true;
                return;
            }
            throw new RetriableException(where + ": cannot read: " + e.getMessage(), e);
        }
        pool = ds;
        exhausted = after >= end;
    }

    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        if (exhausted || pool == null) {
            Thread.sleep(Math.min(timeout.toMillis(), 50));
            return List.of();
        }
        List<SourceRecord> records = new ArrayList<>();
        try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(table.selectAfter())) {
            st.setLong(1, after);
            st.setLong(2, end);
            st.setInt(3, max);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    records.add(record(rs));
                }
            }
            c.rollback();
        } catch (SQLException e) {
            throw new RetriableException(where + ": reading after id " + after + " failed: " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            exhausted = true;
        } else {
            after = records.getLast().position().sequence();
            exhausted = after >= end;
        }
        return records;
    }

    private SourceRecord record(ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        Headers headers = HeadersJson.read(rs.getString("headers"))
                .with(DeadLetterHeaders.PIPELINE, rs.getString("pipeline"))
                .with(DeadLetterHeaders.SOURCE, rs.getString("source"))
                .with(DeadLetterHeaders.TOPIC, rs.getString("topic"))
                .with(DeadLetterHeaders.PARTITION, rs.getString("source_partition"))
                .with(DeadLetterHeaders.POSITION, rs.getString("source_position"))
                .with(DeadLetterHeaders.STAGE, rs.getString("stage"))
                .with(DeadLetterHeaders.CLASS, rs.getString("error_class"))
                .with(DeadLetterHeaders.MESSAGE, rs.getString("error_message"))
                .with(DeadLetterHeaders.ATTEMPTS, Integer.toString(rs.getInt("attempts")));
        int replays = rs.getInt("replays");
        if (replays > 0) {
            headers = headers.with(DeadLetterHeaders.REPLAYS, Integer.toString(replays));
        }
        headers = withInstant(headers, DeadLetterHeaders.FIRST_FAILED_AT, rs.getTimestamp("first_failed_at"));
        headers = withInstant(headers, DeadLetterHeaders.LAST_FAILED_AT, rs.getTimestamp("last_failed_at"));
        Timestamp eventTime = rs.getTimestamp("event_time");
        Message message = new Message(rs.getString("topic"), rs.getString("record_key"), rs.getBytes("payload"),
                headers, eventTime == null ? null : eventTime.toInstant());
        return new SourceRecord(message, new Position(table.describe(), Long.toString(id), id));
    }

    private static Headers withInstant(Headers headers, String name, Timestamp value) {
        return value == null ? headers : headers.with(name, value.toInstant().toString());
    }

    @Override
    public boolean connected() {
        return pool != null || exhausted;
    }

    @Override
    public long lag() {
        return exhausted ? 0 : Math.max(1, end - after);
    }

    @Override
    public void close() {
        HikariDataSource ds = pool;
        if (ds != null) {
            ds.close();
        }
    }
}
