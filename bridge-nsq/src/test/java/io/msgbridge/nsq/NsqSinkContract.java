package io.msgbridge.nsq;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink contract for {@link NsqSink}, read back by a {@link RawNsqReader} subscribed beforehand.
 * NSQ carries no keys or headers, and no empty bodies: that one contract case is replaced.
 */
abstract class NsqSinkContract extends SinkContract {
    private final String prefix = NsqBrokers.uniqueTopic("sink_contract");
    private RawNsqReader reader;

    abstract NsqBroker broker();

    @BeforeEach
    void subscribe() throws Exception {
        reader = new RawNsqReader(broker(), prefix + "_in", "readback");
    }

    @AfterEach
    void unsubscribe() throws Exception {
        reader.close();
    }

    @Override
    protected Sink newSink() {
        return new NsqSink(NsqConnectionOptions.of(List.of(broker().address())), NsqSinkOptions.of(prefix + "_{topic}"));
    }

    @Override
    protected String topic() {
        return "in";
    }

    @Override
    protected List<Message> readBack(int expected, Duration timeout) throws Exception {
        return reader.read(expected, timeout).stream().map(m -> Message.of(prefix + "_in", m.body())).toList();
    }

    @Override
    protected boolean carriesKeysAndHeaders() {
        return false;
    }

    /** nsqd refuses empty bodies (E_BAD_MESSAGE), so the sink refuses them as permanent: they go to the dead-letter route. */
    @Override
    @Test
    public void anEmptyPayloadIsPublished() throws Exception {
        Sink sink = startedSink();

        assertThat(sink.publish(record(Message.of(topic(), new byte[0]), 0)))
                .failsWithin(confirmDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(PermanentException.class).withMessageContaining("empty message body");
    }
}
