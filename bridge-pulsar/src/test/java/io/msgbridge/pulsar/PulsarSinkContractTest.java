package io.msgbridge.pulsar;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContract;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The sink contract for a templated destination topic on the shared test broker, read back with a Reader. */
@Tag("integration")
class PulsarSinkContractTest extends SinkContract {
    private PulsarClient client;
    private String prefix;
    private Reader<byte[]> reader;

    @BeforeEach
    void openReader() throws Exception {
        client = SharedPulsar.client();
        prefix = SharedPulsar.uniqueTopic("sink-contract");
        reader = client.newReader(Schema.BYTES).topic(prefix + "-in").startMessageId(MessageId.earliest).create();
    }

    @AfterEach
    void closeReader() throws Exception {
        reader.close();
    }

    @Override
    protected Sink newSink() {
        return new PulsarSink(SharedPulsar.options(), PulsarSinkOptions.of(prefix + "-{name}"));
    }

    @Override
    protected String topic() {
        return "in";
    }

    @Override
    protected List<Message> readBack(int expected, Duration timeout) throws Exception {
        List<Message> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < expected && System.nanoTime() < deadline) {
            org.apache.pulsar.client.api.Message<byte[]> m = reader.readNext(200, TimeUnit.MILLISECONDS);
            if (m != null) {
                out.add(PulsarMessageMapper.toBridge(m));
            }
        }
        return out;
    }
}
