package io.msgbridge.nats;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContract;
import io.nats.client.Connection;
import io.nats.client.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The sink contract for core NATS publishing, read back through a subscription made beforehand. */
@Tag("integration")
class CoreSinkContractTest extends SinkContract {
    private Connection conn;
    private String prefix;
    private Subscription subscription;

    @BeforeEach
    void subscribe() throws Exception {
        conn = SharedNats.connect();
        prefix = SharedNats.unique();
        subscription = conn.subscribe(prefix + ".>");
        conn.flush(Duration.ofSeconds(5));
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        conn.close();
    }

    @Override
    protected Sink newSink() {
        return new NatsSink(SharedNats.options(), NatsSinkOptions.of(prefix + ".{topic}", SinkMode.CORE));
    }

    @Override
    protected String topic() {
        return "in";
    }

    @Override
    protected List<Message> readBack(int expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Message> out = new ArrayList<>();
        while (out.size() < expected && System.nanoTime() < deadline) {
            io.nats.client.Message m = subscription.nextMessage(Duration.ofMillis(200));
            if (m != null) {
                out.add(NatsTestMessages.toBridge(m.getSubject(), m.getHeaders(), m.getData()));
            }
        }
        return out;
    }
}
