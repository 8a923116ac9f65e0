package io.msgbridge.pulsar;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.SinkContext;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Sink behaviour beyond the contract, against the shared broker (deduplication on). */
class PulsarSinkTest {
    private static OutboundRecord record(String key, long sequence) {
        Message m = new Message("in", key, ("s" + sequence).getBytes(StandardCharsets.UTF_8), Headers.EMPTY, null);
        return new OutboundRecord(m, "id-" + sequence, new Position("src-partition", Long.toString(sequence), sequence));
    }

    private static void publishAll(PulsarSink sink, List<OutboundRecord> records) throws Exception {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (OutboundRecord r : records) {
            futures.add(sink.publish(r));
            futures.get(futures.size() - 1).get(20, TimeUnit.SECONDS);
        }
    }

    private static List<String> readAll(String topic) throws Exception {
        List<String> out = new ArrayList<>();
        try (Reader<byte[]> reader = SharedPulsar.client().newReader(Schema.BYTES).topic(topic).startMessageId(MessageId.earliest).create()) {
            org.apache.pulsar.client.api.Message<byte[]> m;
            while ((m = reader.readNext(2, TimeUnit.SECONDS)) != null) {
                out.add(new String(m.getData(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void withDedupAReplayByANewSinkIsDroppedByTheBroker() throws Exception {
        String topic = SharedPulsar.uniqueTopic("dedup");
        PulsarSinkOptions options = PulsarSinkOptions.of(topic).withDedup(true);
        List<OutboundRecord> first = new ArrayList<>();
        List<OutboundRecord> replay = new ArrayList<>();
        for (long s = 1; s <= 20; s++) {
            first.add(record("k", s));
        }
        for (long s = 11; s <= 30; s++) {
            replay.add(record("k", s));
        }
        PulsarSink before = new PulsarSink(SharedPulsar.options(), options);
        before.start(new SinkContext("dedup-test", SinkContext.Role.SINK));
        publishAll(before, first);
        before.close();
        PulsarSink after = new PulsarSink(SharedPulsar.options(), options);
        after.start(new SinkContext("dedup-test", SinkContext.Role.SINK));
        publishAll(after, replay);
        after.close();

        assertThat(readAll(topic)).hasSize(30).doesNotHaveDuplicates().startsWith("s1").endsWith("s30");
    }

    @Test
    void withDedupALowerSequenceAfterAHigherOneOfTheSameKeyFailsPermanentlyInsteadOfVanishing() throws Exception {
        PulsarSink sink = new PulsarSink(SharedPulsar.options(), PulsarSinkOptions.of(SharedPulsar.uniqueTopic("order")).withDedup(true));
        sink.start(new SinkContext("order-test", SinkContext.Role.SINK));
        try {
            sink.publish(record("k", 5)).get(20, TimeUnit.SECONDS);

            CompletableFuture<Void> late = sink.publish(record("k", 3));

            assertThat(late).failsWithin(20, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(PermanentException.class).withMessageContaining("key: native");
        } finally {
            sink.close();
        }
    }

    @Test
    void aMessageAboveTheBrokersMaximumIsPermanent() throws Exception {
        PulsarSink sink = new PulsarSink(SharedPulsar.options(), PulsarSinkOptions.of(SharedPulsar.uniqueTopic("big")));
        sink.start(new SinkContext("big-test", SinkContext.Role.SINK));
        try {
            Message huge = Message.of("in", new byte[6 * 1024 * 1024]);

            CompletableFuture<Void> future = sink.publish(new OutboundRecord(huge, "id", new Position("p", "1", 1)));

            assertThat(future).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(PermanentException.class).withMessageContaining("too big");
        } finally {
            sink.close();
        }
    }
}
