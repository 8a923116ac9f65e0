package io.msgbridge.nats;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContract;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** The sink contract for JetStream publishing, read back from the stream by sequence. */
@Tag("integration")
class JetStreamSinkContractTest extends SinkContract {
    private Connection conn;
    private String stream;

    @BeforeEach
    void createStream() throws Exception {
        conn = SharedNats.connect();
        stream = SharedNats.unique();
        SharedNats.createStream(conn, stream, stream + ".>");
    }

    @AfterEach
    void deleteStream() throws InterruptedException {
        SharedNats.deleteStream(conn, stream);
        conn.close();
    }

    @Override
    protected Sink newSink() {
        return new NatsSink(SharedNats.options(), NatsSinkOptions.of(stream + ".out.{subject}", SinkMode.JETSTREAM));
    }

    @Override
    protected String topic() {
        return "in";
    }

    @Override
    protected List<Message> readBack(int expected, Duration timeout) throws Exception {
        JetStreamManagement jsm = conn.jetStreamManagement();
        await().atMost(timeout).until(() -> jsm.getStreamInfo(stream).getStreamState().getMsgCount() >= expected);
        List<Message> out = new ArrayList<>();
        for (long seq = 1; seq <= expected; seq++) {
            MessageInfo info = jsm.getMessage(stream, seq);
            out.add(NatsTestMessages.toBridge(info.getSubject(), info.getHeaders(), info.getData()));
        }
        return out;
    }
}
