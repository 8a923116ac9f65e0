package io.msgbridge.system.rocketmq;

import io.msgbridge.rocketmq.RocketMqTestBroker;
import io.msgbridge.rocketmq.RocketMqTestClient;
import io.msgbridge.system.GroupModeTakeOver;
import io.msgbridge.testing.Postgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two daemons run one RocketMQ → JetStream pipeline in {@code mode: group} on a topic of 8 queues, on one
 * PostgreSQL offset store (each claims the pipeline beside the other): {@link GroupModeTakeOver} stops one
 * with SIGTERM mid-run and checks that the other takes its queues from the offsets it wrote, losing
 * nothing, in per-key order. The daemons' logs also show each queue read by one daemon at a time.
 */
class RocketMqGroupModeTest {
    /** A log line of a queue move: its time, what happened, the queues. */
    private static final Pattern MOVE = Pattern.compile("(?m)^(\\S+) .*: (assigned|gave up|lost) \\[([^\\]]*)\\]");

    @TempDir
    Path dir;

    private final String id = RocketMqTestClient.uniqueTopic("grp");
    private final String schema = "rmqgroup_" + id.replace('-', '_');
    private RocketMqTestClient rocketmq;

    @BeforeEach
    void setUp() throws Exception {
        rocketmq = new RocketMqTestClient(RocketMqTestBroker.shared());
    }

    @AfterEach
    void tearDown() throws Exception {
        rocketmq.close();
        Postgres.dropSchema(schema);
    }

    @Test
    void twoDaemonsShareTheQueuesOneAtATimeAndTheOneLeftTakesOverWhatTheOtherGaveUp() throws Exception {
        rocketmq.createTopic(id);
        GroupModeTakeOver.Logs logs = GroupModeTakeOver.run(dir, id,
                "postgres: { url: %s, user: %s, schema: %s }".formatted(Postgres.URL, Postgres.USER, schema),
                RocketMqTestBroker.shared().connection(),
                "topic: %s, consumer-group: %s, mode: group, drain-timeout: 10s".formatted(id, id),
                (count, keys, firstPerKey) -> rocketmq.publishKeyed(id, count, keys, firstPerKey));
        assertOneOwnerAtATime(Map.of("a", logs.a(), "b", logs.b()));
    }

    /** Per queue, the daemons' spans from "assigned" to "gave up" (or "lost") do not overlap. */
    private static void assertOneOwnerAtATime(Map<String, String> outputs) {
        record Span(String daemon, Instant from, Instant to) {
        }
        Map<String, List<Span>> spans = new TreeMap<>();
        outputs.forEach((daemon, output) -> {
            Map<String, Instant> since = new TreeMap<>();
            Matcher m = MOVE.matcher(output);
            while (m.find()) {
                Instant at = Instant.parse(m.group(1));
                for (String queue : m.group(3).split(", ")) {
                    if (m.group(2).equals("assigned")) {
                        since.put(queue, at);
                    } else {
                        Instant from = since.remove(queue);
                        assertThat(from).as(daemon + " gave up " + queue + " it was not assigned").isNotNull();
                        spans.computeIfAbsent(queue, q -> new ArrayList<>()).add(new Span(daemon, from, at));
                    }
                }
            }
            assertThat(since).as(daemon + ": queues never given up (a daemon stopped with SIGTERM gives up all)").isEmpty();
        });
        assertThat(spans).as("queues read").hasSize(8);
        spans.forEach((queue, list) -> {
            list.sort(Comparator.comparing(Span::from));
            for (int i = 1; i < list.size(); i++) {
                assertThat(list.get(i).from()).as(queue + ": " + list.get(i) + " starts after " + list.get(i - 1) + " ends")
                        .isAfterOrEqualTo(list.get(i - 1).to());
            }
        });
    }
}
