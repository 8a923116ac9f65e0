package io.msgbridge.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.SinkContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class StdoutSinkTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private StdoutSink started(StdoutOptions.Format format, OutputStream stream) {
        StdoutSink sink = new StdoutSink(new StdoutOptions(format), stream);
        sink.start(new SinkContext("p", SinkContext.Role.SINK));
        return sink;
    }

    private static OutboundRecord record(String key, String payload, Headers headers, long seq) {
        Message message = new Message("orders", "source-key", payload.getBytes(StandardCharsets.UTF_8), headers,
                Instant.parse("2026-12-06T10:15:30Z"));
        return new OutboundRecord(message, key, "p/orders/" + seq, new Position("orders", Long.toString(seq), seq));
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aTextLineHasThePipelinesKeyTheHeadersAndThePayloadOnOneLine() {
        StdoutSink sink = started(StdoutOptions.Format.TEXT, out);

        sink.publish(record("key-1", "{\"seq\":1}", Headers.EMPTY, 1)).join();
        sink.publish(record("key-2", "two\nlines", Headers.of("h1", "a", "h2", "b"), 2)).join();
        sink.publish(record(null, "", Headers.EMPTY, 3)).join();
        sink.publish(new OutboundRecord(new Message("orders", null, new byte[] {0, (byte) 0xff}, Headers.EMPTY, null), "k",
                "p/orders/4", new Position("orders", "4", 4))).join();

        assertThat(lines()).containsExactly("key=key-1 {\"seq\":1}", "key=key-2 [h1=a, h2=b] two\\nlines", "key=- ", "key=k base64:AP8=");
    }

    @Test
    void aJsonLineCarriesTopicKeyHeadersEventTimeSourcePositionAndPayload() throws Exception {
        StdoutSink sink = started(StdoutOptions.Format.JSON, out);

        sink.publish(record("key-1", "{\"seq\":1}", Headers.of("h", "v"), 7)).join();

        JsonNode line = new ObjectMapper().readTree(lines().get(0));
        assertThat(line.get("topic").asText()).isEqualTo("orders");
        assertThat(line.get("key").asText()).isEqualTo("key-1");
        assertThat(line.get("headers").get(0).get("name").asText()).isEqualTo("h");
        assertThat(line.get("headers").get(0).get("value").asText()).isEqualTo("v");
        assertThat(line.get("event_time").asText()).isEqualTo("2026-12-06T10:15:30Z");
        assertThat(line.get("source_partition").asText()).isEqualTo("orders");
        assertThat(line.get("source_offset").asText()).isEqualTo("7");
        assertThat(line.get("payload").asText()).isEqualTo("{\"seq\":1}");
    }

    @Test
    void linesOfRecordsPublishedFromSeveralLanesNeverMixAndKeepEachKeysOrder() throws Exception {
        StdoutSink sink = started(StdoutOptions.Format.TEXT, out);
        ExecutorService lanes = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int lane = 0; lane < 4; lane++) {
            String key = "key-" + lane;
            done.add(lanes.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    sink.publish(record(key, key + ":" + i + ":" + "x".repeat(200), Headers.EMPTY, i)).join();
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        lanes.shutdown();

        Map<String, Integer> next = new HashMap<>();
        for (String line : lines()) {
            assertThat(line).matches("key=(key-\\d) \\1:\\d+:x{200}");
            String key = line.substring(4, 9);
            int i = Integer.parseInt(line.split(":")[1]);
            assertThat(i).as("order of %s", key).isEqualTo(next.getOrDefault(key, 0));
            next.put(key, i + 1);
        }
        assertThat(next).containsOnly(Map.entry("key-0", 500), Map.entry("key-1", 500), Map.entry("key-2", 500), Map.entry("key-3", 500));
    }

    @Test
    void aStreamThatCannotBeWrittenIsAnOutageAndHoldsTheKeysLaterRecordsUntilItsRecordComesAgain() throws Exception {
        FlakyStream stream = new FlakyStream();
        StdoutSink sink = started(StdoutOptions.Format.TEXT, stream);
        stream.broken = true;

        OutboundRecord first = record("k", "1", Headers.EMPTY, 1);
        Throwable failure = sink.publish(first).handle((ok, e) -> e).get();
        Throwable held = sink.publish(record("k", "2", Headers.EMPTY, 2)).handle((ok, e) -> e).get();

        assertThat(failure).isInstanceOf(RetriableException.class)
                .hasMessage("stdout: cannot write record orders@1: Broken pipe; whatever reads the daemon's standard output "
                        + "(a pipe, a file) must take it");
        assertThat(((RetriableException) failure).unavailable()).isTrue();
        assertThat(held).isInstanceOf(RetriableException.class).hasMessageContaining("holds record p/orders/2");
        assertThat(sink.connected()).isFalse();

        stream.broken = false;
        sink.publish(new OutboundRecord(first.message(), "k", first.id(), first.source(), true)).join();
        sink.publish(record("k", "2", Headers.EMPTY, 2)).join();
        assertThat(stream.written.toString(StandardCharsets.UTF_8).lines()).containsExactly("key=k 1", "key=k 2");
        assertThat(sink.connected()).isTrue();
    }

    @Test
    void closeFlushesAndLeavesTheStreamOpen() throws Exception {
        FlakyStream stream = new FlakyStream();
        StdoutSink sink = started(StdoutOptions.Format.TEXT, stream);
        sink.publish(record("k", "1", Headers.EMPTY, 1)).join();

        sink.close();

        assertThat(stream.closed).isFalse();
        assertThat(sink.publish(record("k", "2", Headers.EMPTY, 2))).failsWithin(1, TimeUnit.SECONDS)
                .withThrowableOfType(ExecutionException.class).havingCause().isInstanceOf(RetriableException.class)
                .withMessage("stdout sink is closed");
    }

    /** A stream whose writes fail while {@code broken}, as a pipe does once its reader is gone. */
    private static final class FlakyStream extends OutputStream {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        volatile boolean broken;
        volatile boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (broken) {
                throw new IOException("Broken pipe");
            }
            written.write(b, off, len);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
