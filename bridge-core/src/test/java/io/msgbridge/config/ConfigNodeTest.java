package io.msgbridge.config;

import io.msgbridge.spi.ConfigNode;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Secret;
import io.msgbridge.spi.SourceContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@link ConfigNode} getters as a backend sees them, through a connector that runs a probe on its section. */
class ConfigNodeTest {
    @TempDir
    Path dir;

    /** Loads a file whose connection {@code c} is {@code section} and runs {@code probe} on it; returns the problems. */
    private List<String> probe(String section, Consumer<ConfigNode> probe) {
        return new ConfigFiles(dir).connectors(new ProbeConnector(probe)).problems("""
                connections:
                  c: %s
                pipelines:
                  - { name: p, from: { connection: c }, to: { connection: c } }
                """.formatted(section));
    }

    @Test
    void readsEveryKindOfValue() {
        new ConfigFiles(dir).write("certs/ca.pem", "-----BEGIN CERTIFICATE-----\n");
        List<Object> read = new ArrayList<>();

        List<String> problems = probe("""
                { type: probe, mode: key-shared, level: high, enabled: "false", timeout: 2m, size: 2KB, count: "7",
                      servers: [a, b], one: a, ca: certs/ca.pem, auth: { token: t }, topics: [{ name: x }, { name: y }] }""",
                node -> {
                    read.add(node.path());
                    read.add(node.choice("mode", SubscriptionMode.class, SubscriptionMode.SHARED));
                    read.add(node.oneOf("level", new LinkedHashSet<>(List.of("low", "high")), "low"));
                    read.add(node.bool("enabled", true));
                    read.add(node.duration("timeout", Duration.ZERO, Duration.ZERO));
                    read.add(node.size("size", 0, 0));
                    read.add(node.integer("count", 0, 0, 10));
                    read.add(node.strings("servers"));
                    read.add(node.strings("one"));
                    read.add(node.file("ca"));
                    ConfigNode auth = node.child("auth").orElseThrow();
                    read.add(auth.path());
                    read.add(auth.secret("token"));
                    node.children("topics").forEach(t -> read.add(t.path() + "=" + t.requiredString("name")));
                    read.add(node.string("absent", "def"));
                    read.add(node.children("absent-list"));
                    read.add(node.child("absent-child"));
                });

        assertThat(problems).isEmpty();
        assertThat(read).containsExactly("connections.c", SubscriptionMode.KEY_SHARED, "high", false,
                Duration.ofMinutes(2), 2000L, 7, List.of("a", "b"), List.of("a"), Optional.of(dir.resolve("certs/ca.pem")),
                "connections.c.auth", Optional.of(new Secret("t")), "connections.c.topics[0]=x",
                "connections.c.topics[1]=y", "def", List.of(), Optional.empty());
    }

    @Test
    void acceptsAnEnumWrittenWithUnderscores() {
        List<Object> read = new ArrayList<>();

        probe("{ type: probe, mode: key_shared }",
                node -> read.add(node.choice("mode", SubscriptionMode.class, SubscriptionMode.SHARED)));

        assertThat(read).containsExactly(SubscriptionMode.KEY_SHARED);
    }

    @Test
    void reportsABadValueOfEachGetterWithWhatIsAllowed() {
        List<String> problems = probe("""
                { type: probe, mode: fanout, level: extreme, enabled: yes-ish, ca: missing.pem, auth: token,
                      topics: { name: x }, servers: { a: b }, list: [a, [b]], pick: store }""",
                node -> {
                    node.choice("mode", SubscriptionMode.class, SubscriptionMode.SHARED);
                    node.oneOf("level", Set.of("low", "high"), "low");
                    node.bool("enabled", true);
                    node.file("ca");
                    node.child("auth");
                    node.children("topics");
                    node.strings("servers");
                    node.strings("list");
                    node.choice("pick", SourceContext.Resume.class, SourceContext.Resume.STORE);
                });

        assertThat(problems).containsExactly(
                "2:27: connections.c.mode: invalid value \"fanout\": must be one of exclusive, shared, failover, key-shared",
                "2:42: connections.c.level: invalid value \"extreme\": must be one of high, low",
                "2:60: connections.c.enabled: invalid value \"yes-ish\": must be true or false",
                "2:73: connections.c.ca: invalid value \"missing.pem\": must be a readable file (relative paths start at "
                        + "the config file's directory); " + dir.resolve("missing.pem") + " is not one",
                "2:92: connections.c.auth: must be a mapping (key: value), not a single value",
                "3:15: connections.c.topics: must be a list of mappings (- key: value), not a mapping",
                "3:37: connections.c.servers: must be a list of values, or a single value, not a mapping",
                "3:57: connections.c.list[1]: must be a single value, not a list");
    }

    @Test
    void reportsKeysNobodyReadAsUnknownListingTheKnownOnesInReadingOrder() {
        List<String> problems = probe("{ type: probe, b: 1, a: 2, extra: 3 }", node -> {
            node.has("b");
            node.string("a");
            node.string("z");
        });

        assertThat(problems).containsExactly(
                "2:33: connections.c.extra: unknown key \"extra\"; allowed: type, b, a, z");
    }

    @Test
    void keysListsThePresentKeysInFileOrderWithoutMarkingThemKnown() {
        List<Set<String>> keys = new ArrayList<>();

        List<String> problems = probe("{ type: probe, b: 1, a: 2 }", node -> keys.add(node.keys()));

        assertThat(keys).containsExactly(Set.of("type", "b", "a"));
        assertThat(keys.getFirst()).containsExactly("type", "b", "a");
        assertThat(problems).containsExactly(
                "2:21: connections.c.b: unknown key \"b\"; allowed: type",
                "2:27: connections.c.a: unknown key \"a\"; allowed: type");
    }

    @Test
    void reportsABackendsOwnProblemAtTheValueOrAtTheMappingWhenTheKeyIsAbsent() {
        List<String> problems = probe("{ type: probe, tls: on }", node -> {
            node.problem("tls", "tls needs ca-file");
            node.problem("ca-file", "is required when tls is on");
            node.problem("this section is odd");
        });

        assertThat(problems).containsExactly(
                "2:6: connections.c.ca-file: is required when tls is on",
                "2:6: connections.c: this section is odd",
                "2:26: connections.c.tls: tls needs ca-file");
    }

    @Test
    void reportsAnEmptyRequiredString() {
        List<String> problems = probe("{ type: probe, subject: \"\", other: }", node -> {
            node.requiredString("subject");
            node.requiredString("other");
        });

        assertThat(problems).containsExactly(
                "2:30: connections.c.subject: invalid value \"\": must not be empty",
                "2:40: connections.c.other: invalid value \"\": must not be empty");
    }

    @Test
    void treatsAnEmptyValueAsAnEmptyMappingOrList() {
        List<Object> read = new ArrayList<>();

        List<String> problems = probe("\n    type: probe\n    auth:\n    servers:", node -> {
            read.add(node.child("auth").map(ConfigNode::keys));
            read.add(node.strings("servers"));
            read.add(node.children("servers"));
        });

        assertThat(problems).isEmpty();
        assertThat(read).containsExactly(Optional.of(Set.of()), List.of(), List.of());
    }

    /** An enum of the shape backends read with {@link ConfigNode#choice}. */
    enum SubscriptionMode { EXCLUSIVE, SHARED, FAILOVER, KEY_SHARED }

    /** Runs a probe on its connection section; its pipeline sections read nothing. */
    private record ProbeConnector(Consumer<ConfigNode> probe) implements Connector {
        @Override
        public String type() {
            return "probe";
        }

        @Override
        public ConnectionSpec connection(String name, ConfigNode node) {
            probe.accept(node);
            return new ConnectionSpec() {
                @Override
                public SourceSpec source(ConfigNode from) {
                    return new TestConnector.TestSource(name, "", 0);
                }

                @Override
                public SinkSpec sink(ConfigNode to) {
                    return new TestConnector.TestSink(name, "");
                }
            };
        }
    }
}
