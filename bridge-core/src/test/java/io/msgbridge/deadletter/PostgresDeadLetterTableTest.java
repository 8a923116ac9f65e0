package io.msgbridge.deadletter;

import io.msgbridge.config.OffsetsConfig;
import io.msgbridge.runtime.DeadLetterHeaders;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The PostgreSQL dead-letter route and its read-back, against the machine's PostgreSQL. */
@Tag("integration")
class PostgresDeadLetterTableTest {
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private final String schema = "dlq_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final PostgresDeadLetterTable table = new PostgresDeadLetterTable(
            new OffsetsConfig.Postgres(URL, "postgres", null, schema, 2, Duration.ofSeconds(1)), "dead_letters");

    @AfterEach
    void dropSchema() throws Exception {
        try (Connection db = DriverManager.getConnection(URL, "postgres", null); Statement st = db.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static Message deadLetter(int n, String key) {
        Headers headers = Headers.of("trace", "t-" + n, "trace", "again\u0000nul")
                .with(DeadLetterHeaders.PIPELINE, "orders")
                .with(DeadLetterHeaders.SOURCE, "nats:stream SRC src.orders")
                .with(DeadLetterHeaders.TOPIC, "src.orders")
                .with(DeadLetterHeaders.PARTITION, "SRC")
                .with(DeadLetterHeaders.POSITION, Integer.toString(n))
                .with(DeadLetterHeaders.STAGE, "sink")
                .with(DeadLetterHeaders.CLASS, "io.msgbridge.spi.PermanentException")
                .with(DeadLetterHeaders.MESSAGE, "too large")
                .with(DeadLetterHeaders.ATTEMPTS, "2")
                .with(DeadLetterHeaders.FIRST_FAILED_AT, "2026-11-23T10:00:00Z")
                .with(DeadLetterHeaders.LAST_FAILED_AT, "2026-11-23T10:00:01Z");
        return new Message("dlq.orders", key, ("payload-" + n).getBytes(StandardCharsets.UTF_8), headers,
                Instant.parse("2026-11-23T09:59:59Z"));
    }

    private void write(Sink sink, int from, int to) throws Exception {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int n = from; n < to; n++) {
            futures.add(sink.publish(new OutboundRecord(deadLetter(n, "k" + (n % 3)), "orders/SRC/" + n + "/dead-letter",
                    new Position("SRC", Integer.toString(n), n))));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    private List<SourceRecord> readAll(Map<String, Position> after) throws Exception {
        List<SourceRecord> read = new ArrayList<>();
        try (Source source = new PostgresDeadLetterSpec(table).reader().orElseThrow().create()) {
            source.start(new SourceContext("orders~list", SourceContext.Resume.STORE, after, 100));
            while (true) {
                List<SourceRecord> batch = source.poll(7, Duration.ofMillis(100));
                if (batch.isEmpty() && source.lag() == 0) {
                    return read;
                }
                read.addAll(batch);
            }
        }
    }

    @Test
    void storesOneRowPerRecordWithTheErrorHeadersAsColumnsAndConfirmsOnlyCommittedRows() throws Exception {
        try (Sink sink = new PostgresDeadLetterSpec(table).create()) {
            sink.start(new SinkContext("orders", SinkContext.Role.DEAD_LETTER));
            write(sink, 0, 20);
            write(sink, 5, 10);
        }

        try (Connection db = DriverManager.getConnection(URL, "postgres", null); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), min(pipeline), min(stage), min(attempts), min(source_partition),"
                     + " min(error_message), min(record_key), min(headers::text), max(length(payload))"
                     + " FROM " + schema + ".dead_letters")) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows, a record written twice counted once").isEqualTo(20);
            assertThat(rs.getString(2)).isEqualTo("orders");
            assertThat(rs.getString(3)).isEqualTo("sink");
            assertThat(rs.getInt(4)).isEqualTo(2);
            assertThat(rs.getString(5)).isEqualTo("SRC");
            assertThat(rs.getString(6)).isEqualTo("too large");
            assertThat(rs.getString(7)).isEqualTo("k0");
            assertThat(rs.getString(8)).contains("\"trace\"").doesNotContain("bridge.error");
            assertThat(rs.getInt(9)).isEqualTo("payload-10".length());
        }
    }

    @Test
    void storesTheKeyThePipelineComputedRatherThanTheSourcesOwn() throws Exception {
        try (Sink sink = new PostgresDeadLetterSpec(table).create()) {
            sink.start(new SinkContext("orders", SinkContext.Role.DEAD_LETTER));
            sink.publish(new OutboundRecord(deadLetter(1, null), "doc-7", "orders/SRC/1/dead-letter",
                    new Position("SRC", "1", 1))).get(30, TimeUnit.SECONDS);
        }

        try (Connection db = DriverManager.getConnection(URL, "postgres", null); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT record_key FROM " + schema + ".dead_letters")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("doc-7");
        }
    }

    @Test
    void readsTheTableBackInOrderWithItsHeadersAndResumesAfterAStoredPosition() throws Exception {
        try (Sink sink = new PostgresDeadLetterSpec(table).create()) {
            sink.start(new SinkContext("orders", SinkContext.Role.DEAD_LETTER));
            write(sink, 0, 20);
        }

        List<SourceRecord> all = readAll(Map.of());
        assertThat(all).hasSize(20);
        SourceRecord third = all.get(2);
        DeadLetter d = DeadLetter.of(third.message()).orElseThrow();
        assertThat(d.pipeline()).isEqualTo("orders");
        assertThat(d.position()).isEqualTo("2");
        assertThat(d.topic()).isEqualTo("src.orders");
        assertThat(d.attempts()).isEqualTo(2);
        assertThat(d.lastFailedAt()).isEqualTo(Instant.parse("2026-11-23T10:00:01Z"));
        assertThat(third.message().key()).isEqualTo("k2");
        assertThat(new String(third.message().payload(), StandardCharsets.UTF_8)).isEqualTo("payload-2");
        assertThat(third.message().headers().all("trace")).containsExactly("t-2", "again\uFFFDnul");
        assertThat(third.position().partition()).isEqualTo(table.describe());

        List<SourceRecord> rest = readAll(Map.of(table.describe(), all.get(14).position()));
        assertThat(rest).extracting(r -> r.position().offset())
                .containsExactlyElementsOf(all.subList(15, 20).stream().map(r -> r.position().offset()).toList());
    }

    @Test
    void readsNothingFromATableThatDoesNotExistYet() throws Exception {
        assertThat(readAll(Map.of())).isEmpty();
    }

    @Test
    void masksAPasswordInTheUrlItNamesInErrors() {
        PostgresDeadLetterTable withPassword = new PostgresDeadLetterTable(new OffsetsConfig.Postgres(
                URL + "?user=x&password=s3cret&ssl=false", "postgres", null, schema, 2, Duration.ofSeconds(1)), "dead_letters");

        assertThat(withPassword.url()).isEqualTo(URL + "?user=x&password=****&ssl=false");
    }
}
