package io.msgbridge.nats;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.support.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pull requests bounded in bytes, on the shared nats-server: what the client holds stays within the
 * read-ahead, and a message larger than a request's bytes still comes, alone.
 */
@Tag("integration")
class PullRequestsTest {
    private static final int KIB = 1024;

    private Connection admin;
    private Connection conn;
    private String stream;
    private final AtomicReference<PullRequests> pulls = new AtomicReference<>();

    @BeforeEach
    void createStream() throws Exception {
        admin = SharedNats.connect();
        stream = SharedNats.unique();
        SharedNats.createStream(admin, stream, stream + ".>");
        ConnectionEvents events = new ConnectionEvents("p1", "source", SharedNats.options(), (c, e) -> { }, status -> {
            if (status.getCode() == Status.CONFLICT_CODE && Status.MESSAGE_SIZE_EXCEEDS_MAX_BYTES.equals(status.getMessage())) {
                pulls.get().ended();
            }
        });
        conn = NatsConnectionFactory.connect(SharedNats.options(), "p1", events, ConnectionUse.RECEIVER);
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        conn.close();
        SharedNats.deleteStream(admin, stream);
        admin.close();
    }

    private JetStreamSubscription subscribe() throws Exception {
        admin.jetStreamManagement().addOrUpdateConsumer(stream, ConsumerConfiguration.builder().durable("d")
                .ackPolicy(AckPolicy.Explicit).build());
        return conn.jetStream().subscribe(null, PullSubscribeOptions.bind(stream, "d"));
    }

    private void publish(int count, int size) throws Exception {
        JetStream js = admin.jetStream();
        for (int i = 0; i < count; i++) {
            js.publish(stream + ".e", new byte[size]);
        }
    }

    /** Takes one message at a time, topping up before each, as the source's pump does; records the most the client held. */
    private static List<Message> take(JetStreamSubscription sub, PullRequests requests, int count, long[] mostHeld) throws InterruptedException {
        List<Message> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (out.size() < count && System.nanoTime() < deadline) {
            requests.topUp(PullRequests.EXPIRES);
            Message m = sub.nextMessage(Duration.ofMillis(100));
            mostHeld[0] = Math.max(mostHeld[0], sub.getPendingByteCount());
            if (m != null) {
                requests.received(m.consumeByteCount());
                m.ack();
                out.add(m);
            }
        }
        return out;
    }

    @Test
    void theClientHoldsNoMoreThanTheReadAheadWhateverTheBatch() throws Exception {
        publish(40, 100 * KIB);
        JetStreamSubscription sub = subscribe();
        PullRequests requests = new PullRequests(sub, 256, 400 * KIB, 8 * KIB);
        pulls.set(requests);
        long[] mostHeld = {0};

        List<Message> all = take(sub, requests, 40, mostHeld);

        assertThat(all).extracting(m -> m.metaData().streamSequence()).as("every message once, in order")
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());
        assertThat(requests.maxBytes()).isEqualTo(200 * KIB);
        assertThat(mostHeld[0]).as("bytes the client held at most, against a read-ahead of 400 KiB").isLessThanOrEqualTo(400 * KIB);
    }

    @Test
    void aMessageLargerThanARequestsBytesComesAloneInsteadOfStallingTheSource() throws Exception {
        publish(2, KIB);
        publish(1, 300 * KIB);
        publish(2, KIB);
        JetStreamSubscription sub = subscribe();
        PullRequests requests = new PullRequests(sub, 256, 64 * KIB, 8 * KIB);
        pulls.set(requests);

        List<Message> all = take(sub, requests, 5, new long[1]);

        assertThat(all).extracting(m -> m.getData().length).as("payload sizes in stream order, within 20 s")
                .containsExactly(KIB, KIB, 300 * KIB, KIB, KIB);
    }
}
