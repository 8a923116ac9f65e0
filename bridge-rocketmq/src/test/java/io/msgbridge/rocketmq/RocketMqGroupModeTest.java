package io.msgbridge.rocketmq;

import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code mode: group} on the test broker: two sources of one consumer group share a topic's 8 queues, each
 * queue read by one of them at a time; a queue moves only after its old reader's records are done and its
 * offset written, so across the move no record is read twice or skipped.
 */
@Tag("integration")
class RocketMqGroupModeTest {
    private static final int RECORDS = 800;
    private static final int KEYS = 50;
    private static final Duration MOVE = Duration.ofSeconds(30);

    private final List<Member> members = new ArrayList<>();
    private RocketMqTestClient client;
    private String topic;
    private String group;

    /** A source polled on a thread of its own; each record is done as soon as it is read. */
    private final class Member implements AutoCloseable {
        final String name;
        final RocketMqSource source;
        final ConcurrentLinkedQueue<SourceRecord> read = new ConcurrentLinkedQueue<>();
        final Thread thread;
        volatile boolean stop;

        Member(String name) throws Exception {
            this.name = name;
            source = new RocketMqSource(RocketMqTestBroker.shared().options("test"),
                    RocketMqSourceOptions.of(topic).withConsumerGroup(group).withMode(RocketMqSourceOptions.Mode.GROUP)
                            .withDrainTimeout(Duration.ofSeconds(5)));
            source.start(new SourceContext("p-" + name, SourceContext.Resume.STORE, Map.of(), 1000));
            thread = Thread.ofPlatform().daemon().name("member-" + name).start(() -> {
                while (!stop) {
                    try {
                        for (SourceRecord r : source.poll(100, Duration.ofMillis(100))) {
                            read.add(r);
                            r.ack().done();
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // retriable while a broker request fails; polled again
                    }
                }
            });
            members.add(this);
        }

        Set<String> partitions() {
            return read.stream().map(r -> r.position().partition()).collect(Collectors.toCollection(TreeSet::new));
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(5000);
            source.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        client = new RocketMqTestClient(RocketMqTestBroker.shared());
        topic = RocketMqTestClient.uniqueTopic("grp");
        group = RocketMqTestClient.uniqueTopic("cg");
        client.createTopic(topic);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (Member m : members) {
            m.close();
        }
        client.close();
    }

    @Test
    void twoMembersShareTheQueuesAndTheOneLeftTakesOverWhatTheOtherGaveUpWithoutRereading() throws Exception {
        client.publishKeyed(topic, RECORDS / 2, KEYS, 0);
        Member a = new Member("a");
        assertThat(a.source.owned()).as("the first member holds every queue").hasSize(8);
        await("a reads").atMost(MOVE).until(() -> a.read.size() > 0);
        Member b = new Member("b");
        await("each member holds 4 queues").atMost(MOVE).until(() -> b.source.owned().size() == 4 && a.source.owned().size() == 4);
        client.publishKeyed(topic, RECORDS / 2, KEYS, RECORDS / 2 / KEYS);
        await("every record read").atMost(MOVE).until(() -> a.read.size() + b.read.size() >= RECORDS);
        Set<String> onlyA = new TreeSet<>(a.partitions());
        onlyA.removeAll(b.partitions());
        assertThat(onlyA).as("queues only a read").hasSize(4);

        b.close();
        int before = a.read.size();
        client.publishKeyed(topic, RECORDS / 2, KEYS, RECORDS / KEYS);
        await("a holds every queue again").atMost(MOVE).until(() -> a.source.owned().size() == 8);
        await("a reads what b held").atMost(MOVE).until(() -> a.read.size() - before >= RECORDS / 2);

        List<SourceRecord> all = new ArrayList<>(a.read);
        all.addAll(b.read);
        Map<String, List<Long>> byQueue = new TreeMap<>();
        all.forEach(r -> byQueue.computeIfAbsent(r.position().partition(), p -> new ArrayList<>()).add(r.position().sequence()));
        assertThat(all).as("records read once each").hasSize(RECORDS + RECORDS / 2);
        byQueue.forEach((queue, offsets) -> assertThat(new TreeSet<>(offsets)).as(queue + ": no offset twice").hasSize(offsets.size()));
        assertThat(a.partitions()).as("a reads every queue at the end").hasSize(8);
    }
}
