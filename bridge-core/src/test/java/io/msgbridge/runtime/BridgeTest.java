package io.msgbridge.runtime;

import io.msgbridge.config.BridgeConfig;
import io.msgbridge.config.HttpConfig;
import io.msgbridge.config.KeySpec;
import io.msgbridge.config.MemoryConfig;
import io.msgbridge.config.OffsetsConfig;
import io.msgbridge.config.PipelineConfig;
import io.msgbridge.config.RetryConfig;
import io.msgbridge.metrics.PipelineMetrics;
import io.msgbridge.offsets.InstanceId;
import io.msgbridge.offsets.OffsetStores;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BridgeTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Every source made, by pipeline, in order: how a test tells a restarted pipeline from an untouched one. */
    private final Map<String, List<MemorySource>> sources = new ConcurrentHashMap<>();
    private final List<Bridge> bridges = new ArrayList<>();

    @AfterEach
    void stopBridges() throws InterruptedException {
        for (Bridge bridge : bridges) {
            bridge.stop();
        }
    }

    /** A source section that compares by value (as the daemon's are): a feed of 100 records. */
    private record Feed(String subject, Map<String, List<MemorySource>> made) implements Connector.SourceSpec {
        @Override
        public Source create() {
            List<Message> messages = IntStream.range(0, 100).mapToObj(i -> new Message(subject, "k" + (i % 7),
                    ("record " + i).getBytes(StandardCharsets.UTF_8), Headers.EMPTY, null)).toList();
            MemorySource source = new MemorySource(messages);
            made.computeIfAbsent(subject, s -> new CopyOnWriteArrayList<>()).add(source);
            return source;
        }

        @Override
        public String describe() {
            return "memory:" + subject;
        }
    }

    private record Accepting(String subject) implements Connector.SinkSpec {
        @Override
        public Sink create() {
            return ScriptedSink.accepting();
        }

        @Override
        public String describe() {
            return "scripted:" + subject;
        }
    }

    private PipelineConfig pipeline(String name, int lanes) {
        return new PipelineConfig(name, new Feed(name, sources), new Accepting("out." + name), Optional.empty(),
                new KeySpec.Native(), lanes, 1000, 1L << 20, RetryConfig.DEFAULT, SourceContext.Resume.STORE,
                PipelineConfig.OnPoison.DEAD_LETTER, Duration.ofMillis(50), PipelineConfig.DEFAULT_STALL_TIMEOUT);
    }

    private BridgeConfig config(PipelineConfig... pipelines) {
        return new BridgeConfig(dir.resolve("bridge.yaml"), new OffsetsConfig.File(dir.resolve("offsets.json"),
                Duration.ofMillis(50)), HttpConfig.DEFAULT, Duration.ofSeconds(5), MemoryConfig.DEFAULT, List.of(pipelines));
    }

    private Bridge started(BridgeConfig config) {
        Bridge bridge = new Bridge(config, OffsetStores.create(config.offsets()), new InstanceId("test-instance"),
                name -> PipelineMetrics.NONE, Clock.systemUTC());
        bridges.add(bridge);
        bridge.start();
        return bridge;
    }

    private static void awaitRunning(Bridge bridge, String... names) {
        await("pipelines " + List.of(names) + " running").atMost(DEADLINE).untilAsserted(() -> {
            assertThat(bridge.statuses()).extracting(PipelineStatus::name).containsExactly(names);
            assertThat(bridge.statuses()).extracting(PipelineStatus::state).containsOnly(PipelineState.RUNNING);
        });
    }

    @Test
    void aReloadRestartsChangedPipelinesStartsNewOnesStopsRemovedOnesAndLeavesTheOthersRunning() throws Exception {
        Bridge bridge = started(config(pipeline("steady", 2), pipeline("changing", 2), pipeline("removed", 2)));
        awaitRunning(bridge, "steady", "changing", "removed");

        Reload reload = bridge.reload(config(pipeline("added", 2), pipeline("changing", 3), pipeline("steady", 2)));

        assertThat(reload.unchanged()).containsExactly("steady");
        assertThat(reload.restarted()).containsExactly("changing");
        assertThat(reload.added()).containsExactly("added");
        assertThat(reload.removed()).containsExactly("removed");
        assertThat(reload.restartNeeded()).isEmpty();
        awaitRunning(bridge, "added", "changing", "steady");
        assertThat(sources.get("steady")).as("the unchanged pipeline's source was never made again").hasSize(1);
        assertThat(sources.get("changing")).as("the changed pipeline runs on a new source").hasSize(2);
        assertThat(sources.get("removed")).hasSize(1);
        assertThat(sources.get("added")).hasSize(1);
        MemorySource replaced = sources.get("changing").get(0);
        assertThat(replaced.committed).as("the replaced pipeline's final commit").isNotEmpty();
        assertThat(sources.get("changing").get(1).context.stored()).as("the new one resumes from it")
                .isEqualTo(replaced.committed);
    }

    @Test
    void reloadingTheSameConfigTouchesNothing() throws Exception {
        Bridge bridge = started(config(pipeline("one", 2), pipeline("two", 2)));
        awaitRunning(bridge, "one", "two");

        Reload reload = bridge.reload(config(pipeline("one", 2), pipeline("two", 2)));

        assertThat(reload.unchanged()).containsExactly("one", "two");
        assertThat(reload.summary()).isEqualTo("0 restarted, 0 added, 0 removed, 2 unchanged (one, two)");
        assertThat(sources.get("one")).hasSize(1);
        assertThat(sources.get("two")).hasSize(1);
    }

    @Test
    void aReloadAfterTheBridgeBeganStoppingStartsNothing() throws Exception {
        Bridge bridge = started(config(pipeline("one", 2)));
        awaitRunning(bridge, "one");
        bridges.remove(bridge);
        bridge.stop();

        Reload reload = bridge.reload(config(pipeline("one", 3), pipeline("late", 2)));

        assertThat(reload.restarted()).isEmpty();
        assertThat(reload.added()).isEmpty();
        assertThat(sources).containsOnlyKeys("one");
        assertThat(sources.get("one")).hasSize(1);
    }

    /** A sink section whose first sink kills the lane that uses it (a client bug) and whose later ones work. */
    private record BrokenOnce(AtomicInteger made) implements Connector.SinkSpec {
        @Override
        public Sink create() {
            if (made.getAndIncrement() > 0) {
                return ScriptedSink.accepting();
            }
            return new ScriptedSink(r -> new io.msgbridge.spi.RetriableException("timeout")) {
                @Override
                public boolean connected() {
                    throw new IllegalStateException("client bug");
                }
            };
        }

        @Override
        public String describe() {
            return "broken once";
        }
    }

    @Test
    void restartsAPipelineThatFailedForAnUnexpectedErrorAndLeavesTheOthersAlone() throws Exception {
        AtomicInteger made = new AtomicInteger();
        PipelineConfig flaky = new PipelineConfig("flaky", new Feed("flaky", sources), new BrokenOnce(made), Optional.empty(),
                new KeySpec.Native(), 2, 1000, 1L << 20, RetryConfig.DEFAULT, SourceContext.Resume.STORE,
                PipelineConfig.OnPoison.DEAD_LETTER, Duration.ofMillis(50), PipelineConfig.DEFAULT_STALL_TIMEOUT);
        Bridge bridge = started(config(pipeline("steady", 2), flaky));

        await("the flaky pipeline restarted and running").atMost(DEADLINE).untilAsserted(() -> {
            assertThat(made.get()).isEqualTo(2);
            assertThat(bridge.statuses()).extracting(PipelineStatus::state).containsOnly(PipelineState.RUNNING);
        });
        assertThat(sources.get("flaky")).as("restarted on a new source").hasSize(2);
        assertThat(sources.get("steady")).as("the other pipeline was never restarted").hasSize(1);
        await("every record delivered by the restarted pipeline").atMost(DEADLINE).untilAsserted(() ->
                assertThat(sources.get("flaky").get(1).acked).hasSize(100));
    }
}
