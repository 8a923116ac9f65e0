package io.msgbridge.nsq;

import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Discovery through nsqlookupd: producers found, connected to, and dropped when they disappear. */
@Tag("integration")
class NsqLookupdDiscoveryTest {
    private final String topic = NsqBrokers.uniqueTopic("lookupd");
    private final List<AutoCloseable> open = new ArrayList<>();
    private FakeNsqlookupd lookupd;
    private NsqTestDouble nsqd;

    @BeforeEach
    void start() throws Exception {
        lookupd = new FakeNsqlookupd();
        nsqd = NsqTestDouble.start();
        open.add(lookupd);
        open.add(nsqd);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private NsqConnectionOptions viaLookupd() {
        return NsqConnectionOptions.of(List.of()).withLookupd(List.of(lookupd.address()), Duration.ofSeconds(1));
    }

    @Test
    void theSourceWaitsForTheTopicThenConnectsToItsProducersAndDropsOnesThatDisappear() throws Exception {
        NsqSource source = new NsqSource(viaLookupd(), new NsqSourceOptions(topic, "bridge"));
        open.add(source);
        source.start(new SourceContext("lookupd", SourceContext.Resume.BROKER, Map.of(), 100));
        assertThat(source.connected()).as("lookupd answered, even if it knows no producer yet").isTrue();
        assertThat(source.poll(10, Duration.ofMillis(200))).isEmpty();

        new NsqHttp(nsqd).createChannel(topic, "bridge");
        new NsqHttp(nsqd).pub(topic, "found".getBytes(StandardCharsets.UTF_8));
        lookupd.producers(List.of(nsqd.address()));

        List<SourceRecord> got = new ArrayList<>();
        await("the producer found at the next lookupd poll").atMost(Duration.ofSeconds(10))
                .until(() -> got.addAll(source.poll(10, Duration.ofMillis(100))));
        assertThat(got.get(0).message().payload()).asString(StandardCharsets.UTF_8).isEqualTo("found");
        got.get(0).ack().done();
        assertThat(nsqd.clientCount()).isEqualTo(1);

        lookupd.producers(List.of());
        await("disconnected from the producer lookupd no longer names").atMost(Duration.ofSeconds(10))
                .until(() -> nsqd.clientCount() == 0);
    }

    @Test
    void theSinkPublishesToANodeLookupdNames() throws Exception {
        lookupd.producers(List.of(nsqd.address()));
        NsqSink sink = new NsqSink(viaLookupd(), NsqSinkOptions.of(topic));
        open.add(sink);
        sink.start(new SinkContext("lookupd", SinkContext.Role.SINK));

        assertThat(sink.publish(NsqClientBehaviour.outbound("x", "via lookupd".getBytes(StandardCharsets.UTF_8), 0)))
                .succeedsWithin(5, TimeUnit.SECONDS);
        assertThat(new NsqHttp(nsqd).topicMessageCount(topic)).isEqualTo(1);
    }
}
