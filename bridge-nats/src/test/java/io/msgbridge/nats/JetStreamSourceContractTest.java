package io.msgbridge.nats;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContract;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import java.util.List;

/** The source contract for a JetStream durable pull consumer on the shared server. */
@Tag("integration")
class JetStreamSourceContractTest extends SourceContract {
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
    protected Source newSource() {
        return new JetStreamSource(SharedNats.options(), JetStreamSourceOptions.of(stream).withBatch(16));
    }

    @Override
    protected String topic() {
        return stream + ".events";
    }

    @Override
    protected void produce(List<Message> messages) throws Exception {
        JetStream js = conn.jetStream();
        for (Message m : messages) {
            js.publish(NatsTestMessages.toNats(m));
        }
    }
}
