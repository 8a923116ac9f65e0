package io.msgbridge.rocketmq;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContract;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The sink contract for a templated destination topic on the shared test broker, read back from every queue. */
@Tag("integration")
class RocketMqSinkContractTest extends SinkContract {
    private RocketMqTestClient client;
    private String prefix;

    @BeforeEach
    void createClient() throws Exception {
        client = new RocketMqTestClient(RocketMqTestBroker.shared());
        prefix = RocketMqTestClient.uniqueTopic("sink-contract");
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Override
    protected Sink newSink() {
        return new RocketMqSink(RocketMqTestBroker.shared().options("test"), RocketMqSinkOptions.of(prefix + "-{name}"));
    }

    @Override
    protected String topic() {
        return "in";
    }

    /** The contract's records have no key, so they all go to the queue of their source partition, in order. */
    @Override
    protected List<Message> readBack(int expected, Duration timeout) throws Exception {
        List<Message> out = new ArrayList<>();
        for (MessageExt m : client.readAll(prefix + "-in", expected, timeout)) {
            out.add(RocketMqMessages.toBridge(m));
        }
        return out;
    }

    /**
     * The sink declares one record of a key at a time ({@code SinkOrdering.ONE_AT_A_TIME}), so the runtime
     * publishes a key's next record once the previous one is confirmed; so does this test. Published back to
     * back, without waiting, records of one queue may be stored in another order: rocketmq-client sends
     * asynchronously from a pool of threads and the broker handles a connection's sends on several threads.
     */
    @Override
    @Test
    public void publishedRecordsAreConfirmedAndReadBackInOrder() throws Exception {
        Sink sink = startedSink();
        for (int i = 0; i < 50; i++) {
            assertThat(sink.publish(record(Message.of(topic(), ("m" + i).getBytes(StandardCharsets.UTF_8)), i)))
                    .succeedsWithin(confirmDeadline().toMillis(), TimeUnit.MILLISECONDS);
        }

        List<Message> back = readBack(50, confirmDeadline());

        assertThat(back).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(i -> "m" + i).toList());
    }

    /** RocketMQ refuses empty bodies (MESSAGE_ILLEGAL), so the sink refuses them as permanent: they go to the dead-letter route. */
    @Override
    @Test
    public void anEmptyPayloadIsPublished() throws Exception {
        Sink sink = startedSink();

        assertThat(sink.publish(record(Message.of(topic(), new byte[0]), 0)))
                .failsWithin(confirmDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(PermanentException.class).withMessageContaining("body length is zero");
    }

    @Test
    void aHeaderWithAReservedNameIsRefusedAsPermanentNamingIt() throws Exception {
        Sink sink = startedSink();

        assertThat(sink.publish(record(new Message(topic(), "k", new byte[] {1}, Headers.of("TAGS", "x"), null), 0)))
                .failsWithin(confirmDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(PermanentException.class).withMessageContaining("header 'TAGS'");
    }
}
