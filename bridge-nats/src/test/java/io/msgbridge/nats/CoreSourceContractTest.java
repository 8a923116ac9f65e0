package io.msgbridge.nats;

import io.msgbridge.spi.Message;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContract;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The source contract for a core NATS subscription on the shared server. */
@Tag("integration")
class CoreSourceContractTest extends SourceContract {
    private Connection conn;
    private String subject;

    @BeforeEach
    void connect() throws Exception {
        conn = SharedNats.connect();
        subject = SharedNats.unique() + ".events";
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        conn.close();
    }

    @Override
    protected Source newSource() {
        return new CoreNatsSource(SharedNats.options(), new CoreSourceOptions(List.of(subject), Optional.empty(), CoreSourceOptions.DEFAULT_BUFFER));
    }

    @Override
    protected String topic() {
        return subject;
    }

    @Override
    protected Comparator<Position> positionOrder() {
        return Comparator.comparingLong(p -> Long.parseLong(p.offset()));
    }

    @Override
    protected void produce(List<Message> messages) throws Exception {
        for (Message m : messages) {
            conn.publish(NatsTestMessages.toNats(m));
        }
        conn.flush(Duration.ofSeconds(5));
    }
}
