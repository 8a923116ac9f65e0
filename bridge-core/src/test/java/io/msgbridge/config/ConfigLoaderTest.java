package io.msgbridge.config;

import io.msgbridge.config.TestConnector.TestSink;
import io.msgbridge.config.TestConnector.TestSource;
import io.msgbridge.spi.ConfigNode;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Secret;
import io.msgbridge.spi.SourceContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigLoaderTest {
    private static final String CONNECTIONS = """
            connections:
              local: { type: test, url: "test://local" }
              legacy: { type: test, url: "test://legacy" }
            """;

    @TempDir
    Path dir;

    private ConfigFiles files() {
        return new ConfigFiles(dir);
    }

    @Test
    void loadsAFullFileIntoRecords() {
        files().write("secrets/token.txt", "t0ken\n");
        ConfigLoader.Result result = files().env(Map.of("PGPASSWORD", "pw")).load("""
                offsets:
                  postgres: { url: "jdbc:postgresql://127.0.0.1:5432/test", user: postgres, password: "${PGPASSWORD}", schema: bridge_test, pool-size: 2 }
                  commit-interval: 500ms
                http: { listen: "0.0.0.0:9090", enabled: false }
                shutdown-timeout: 1m
                memory: 40%
                connections:
                  local: { type: test, url: "test://local", token: "${file:secrets/token.txt}", servers: [a, b] }
                  legacy: { type: test, url: "test://legacy" }
                pipelines:
                  - name: orders
                    from: { connection: legacy, subject: orders.>, batch: 50 }
                    to: { connection: local, subject: "mirror.{subject}" }
                    dead-letter: { connection: local, subject: dlq.orders }
                    key: json:/order_id
                    lanes: "8"
                    max-in-flight: { records: 500, bytes: 1MiB }
                    retry: { attempts: 3, backoff: 100ms..5s, jitter: false }
                    resume: broker
                    on-poison: park-key
                    commit-interval: 2s
                  - name: audit
                    from: { connection: local, subject: audit }
                    to: { connection: local, subject: audit.copy }
                """);

        assertThat(result.problems()).isEmpty();
        assertThat(result.ok()).isTrue();
        assertThat(result.config()).contains(new BridgeConfig(dir.resolve("bridge.yaml"),
                new OffsetsConfig.Postgres("jdbc:postgresql://127.0.0.1:5432/test", "postgres", new Secret("pw"),
                        "bridge_test", 2, Duration.ofMillis(500)),
                new HttpConfig(false, "0.0.0.0", 9090),
                Duration.ofMinutes(1), new MemoryConfig.Share(40),
                List.of(new PipelineConfig("orders", new TestSource("legacy", "orders.>", 50),
                                new TestSink("local", "mirror.{subject}"), Optional.of(new TestSink("local", "dlq.orders")),
                                new KeySpec.JsonPointer("/order_id"), 8, 500, 1L << 20,
                                new RetryConfig(3, Duration.ofMillis(100), Duration.ofSeconds(5), false),
                                SourceContext.Resume.BROKER, PipelineConfig.OnPoison.PARK_KEY, Duration.ofSeconds(2),
                                PipelineConfig.DEFAULT_STALL_TIMEOUT),
                        new PipelineConfig("audit", new TestSource("local", "audit", 10),
                                new TestSink("local", "audit.copy"), Optional.empty(), new KeySpec.Native(), PipelineReader.DEFAULT_LANES, PipelineReader.DEFAULT_MAX_RECORDS,
                                32L << 20, RetryConfig.DEFAULT, SourceContext.Resume.STORE, PipelineConfig.OnPoison.DEAD_LETTER, Duration.ofMillis(500),
                                PipelineConfig.DEFAULT_STALL_TIMEOUT))));
    }

    @Test
    void givesEachConnectorTheRestOfItsConnectionSection() {
        files().write("secrets/token.txt", "t0ken\n");
        List<Connector.ConnectionSpec> specs = new ArrayList<>();
        Connector recording = new RecordingConnector(specs);
        files().connectors(recording).load("""
                connections:
                  local: { type: test, url: "test://local", token: "${file:secrets/token.txt}", servers: [a, b] }
                  one: { type: test, url: "test://one", servers: single }
                pipelines:
                  - { name: p, from: { connection: local, subject: s }, to: { connection: one, subject: t } }
                """);

        assertThat(specs).containsExactly(
                new TestConnector.Connection("local", "test://local", Optional.of(new Secret("t0ken")), List.of("a", "b")),
                new TestConnector.Connection("one", "test://one", Optional.empty(), List.of("single")));
    }

    @Test
    void fillsInTheDefaultsOfEverythingOptional() {
        ConfigLoader.Result result = files().load(CONNECTIONS + """
                pipelines:
                  - name: orders
                    from: { connection: local, subject: orders }
                    to: { connection: legacy, subject: orders }
                """);

        assertThat(result.problems()).isEmpty();
        BridgeConfig config = result.config().orElseThrow();
        assertThat(config.offsets()).isEqualTo(new OffsetsConfig.File(dir.resolve("data/offsets.json"), Duration.ofSeconds(1)));
        assertThat(config.http()).isEqualTo(HttpConfig.DEFAULT);
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.pipelines()).containsExactly(new PipelineConfig("orders", new TestSource("local", "orders", 10),
                new TestSink("legacy", "orders"), Optional.empty(), new KeySpec.Native(), PipelineReader.DEFAULT_LANES, PipelineReader.DEFAULT_MAX_RECORDS, 32L << 20,
                RetryConfig.DEFAULT, SourceContext.Resume.STORE, PipelineConfig.OnPoison.DEAD_LETTER, Duration.ofSeconds(1),
                PipelineConfig.DEFAULT_STALL_TIMEOUT));
    }

    @Test
    void resolvesTheOffsetsFileAgainstTheConfigFilesDirectory() {
        ConfigLoader.Result result = files().load("""
                offsets: { file: { path: state/positions.json }, commit-interval: 250ms }
                """ + CONNECTIONS + """
                pipelines:
                  - { name: p, from: { connection: local, subject: a }, to: { connection: local, subject: b } }
                """);

        assertThat(result.config().orElseThrow().offsets())
                .isEqualTo(new OffsetsConfig.File(dir.resolve("state/positions.json"), Duration.ofMillis(250)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            95%   | must be a share of the heap from 1% to 90%, such as 50%
            half  | must be a size such as 96MiB (at least 1MiB) or a share of the heap such as 50%
            10KiB | must be a size such as 96MiB (at least 1MiB) or a share of the heap such as 50%
            """)
    void refusesAMemoryBudgetThatIsNeitherASizeNorAShareOfTheHeap(String value, String rule) {
        List<String> problems = files().problems("""
                memory: %s
                connections:
                  local: { type: test, url: "test://local" }
                pipelines:
                  - name: orders
                    from: { connection: local, subject: orders }
                    to: { connection: local, subject: copy }
                """.formatted(value));

        assertThat(problems).containsExactly("1:9: memory: invalid value \"" + value + "\": " + rule);
    }

    @Test
    void reportsEveryProblemOfAFileAtOnceSortedByLineAndColumn() {
        List<String> problems = files().problems("""
                http: { listen: nowhere }
                connections:
                  local: { type: test, url: "test://local" }
                pipelines:
                  - name: orders
                    from: { connection: local, subject: orders }
                    to: { connection: local }
                    lanes: 0
                    retry: { backoff: -5s, attempts: 2 }
                  - name: orders
                    from: { connection: nats, subject: x }
                    to: { connection: local, subject: y }
                    lane: 3
                """);

        assertThat(problems).containsExactly(
                "1:17: http.listen: invalid value \"nowhere\": must be HOST:PORT with PORT in 0..65535, such as 127.0.0.1:8083",
                "7:9: pipelines[0].to.subject: is required but missing",
                "8:12: pipelines[0].lanes: invalid value \"0\": must be an integer in 1..4096",
                "9:23: pipelines[0].retry.backoff: invalid value \"-5s\": must be a range MIN..MAX of durations such as 200ms..30s",
                "10:11: pipelines[1].name: duplicate pipeline name \"orders\": already used by pipelines[0]; names must be unique",
                "11:25: pipelines[1].from.connection: unknown connection \"nats\"; defined: local",
                "13:5: pipelines[1].lane: unknown key \"lane\" (did you mean \"lanes\"?); allowed: name, from, to, "
                        + "dead-letter, key, lanes, max-in-flight, retry, resume, on-poison, commit-interval, stall-timeout");
    }

    @Test
    void printsAProblemAsFileLineColumnPathMessageWithTheFileAsGiven() {
        Path file = files().write("bridge.yaml", "shutdown-timeout: soon\n");
        Path relative = Path.of("").toAbsolutePath().relativize(file);

        ConfigLoader.Result result = ConfigLoader.load(relative, name -> null, List.of(new TestConnector()));

        assertThat(result.ok()).isFalse();
        assertThat(result.config()).isEmpty();
        assertThat(result.problems()).extracting(Problem::toString).containsExactly(
                relative + ":1:1: pipelines: at least one pipeline is required",
                relative + ":1:19: shutdown-timeout: invalid value \"soon\": must be a duration: a whole number and "
                        + "a unit ms, s, m, h or d, such as 500ms or 2m");
    }

    @Test
    void reportsAYamlSyntaxErrorAsOneProblemWithItsLineAndColumn() {
        List<String> problems = files().problems("""
                connections:
                  local: { type: test, url: "test://local" }
                pipelines:
                  - name: orders
                    from: [local, orders
                    to: { connection: local }
                """);

        assertThat(problems).containsExactly("6:7: pipelines[0].from: invalid YAML: expected ',' or ']', but got : "
                + "(while parsing a flow sequence started at line 5, column 11)");
    }

    @Test
    void reportsABadIndentAsASyntaxError() {
        assertThat(files().problems("shutdown-timeout: 1s\n  lanes: 2\n"))
                .containsExactly("2:8: (top level): invalid YAML: mapping values are not allowed here");
    }

    @Test
    void reportsUnknownKeysAtEveryLevelWithTheAllowedOnes() {
        List<String> problems = files().problems("""
                offset: { file: { path: x.json } }
                http: { listen: "127.0.0.1:0", port: 80 }
                connections:
                  local: { type: test, url: "test://local", tokn: abc }
                pipelines:
                  - name: orders
                    from: { connection: local, subject: a, batch-size: 5 }
                    to: { connection: local, subject: b }
                    retry: { attempts: 2, max: 3 }
                    max-in-flight: { messages: 5 }
                """);

        assertThat(problems).containsExactly(
                "1:1: offset: unknown key \"offset\" (did you mean \"offsets\"?); allowed: offsets, http, "
                        + "shutdown-timeout, memory, connections, pipelines",
                "2:32: http.port: unknown key \"port\"; allowed: listen, enabled, admin-token",
                "4:45: connections.local.tokn: unknown key \"tokn\" (did you mean \"token\"?); allowed: type, url, token, servers",
                "7:44: pipelines[0].from.batch-size: unknown key \"batch-size\"; allowed: connection, subject, batch",
                "9:27: pipelines[0].retry.max: unknown key \"max\"; allowed: attempts, backoff, jitter",
                "10:22: pipelines[0].max-in-flight.messages: unknown key \"messages\"; allowed: records, bytes");
    }

    @Test
    void reportsMissingRequiredValues() {
        List<String> problems = files().problems("""
                offsets: { postgres: { user: bridge } }
                connections:
                  local: { type: test }
                  other: { url: "test://other" }
                pipelines:
                  - lanes: 2
                  - name: second
                    from: { subject: a }
                    to: { connection: local, subject: "" }
                """);

        assertThat(problems).containsExactly(
                "1:22: offsets.postgres.url: is required but missing",
                "3:10: connections.local.url: is required but missing",
                "4:10: connections.other.type: is required but missing",
                "6:5: pipelines[0].name: is required but missing",
                "6:5: pipelines[0].from: is required but missing: a mapping with connection: and the keys of the source",
                "6:5: pipelines[0].to: is required but missing: a mapping with connection: and the keys of the sink",
                "8:11: pipelines[1].from.connection: is required but missing",
                "9:39: pipelines[1].to.subject: invalid value \"\": must not be empty");
    }

    @Test
    void requiresAtLeastOnePipeline() {
        assertThat(files().problems(CONNECTIONS)).containsExactly("1:1: pipelines: at least one pipeline is required");
        assertThat(files().problems(CONNECTIONS + "pipelines: []\n"))
                .containsExactly("4:12: pipelines: at least one pipeline is required");
    }

    @Test
    void anEmptyFileNeedsOnlyItsPipelines() {
        assertThat(files().problems("# nothing yet\n")).containsExactly("1:1: pipelines: at least one pipeline is required");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("lanes: abc", "pipelines[0].lanes: invalid value \"abc\": must be an integer in 1..4096"),
                Arguments.of("lanes: 4097", "pipelines[0].lanes: invalid value \"4097\": must be an integer in 1..4096"),
                Arguments.of("commit-interval: 5ms",
                        "pipelines[0].commit-interval: invalid value \"5ms\": must be at least 10ms"),
                Arguments.of("commit-interval: 1.5s",
                        "pipelines[0].commit-interval: invalid value \"1.5s\": must be a duration: a whole number and "
                                + "a unit ms, s, m, h or d, such as 500ms or 2m"),
                Arguments.of("max-in-flight: { bytes: 64mb }",
                        "pipelines[0].max-in-flight.bytes: invalid value \"64mb\": must be a size: a whole number of bytes "
                                + "with an optional unit B, KiB, MiB, GiB, KB, MB or GB, such as 64MiB"),
                Arguments.of("max-in-flight: { bytes: 1000 }",
                        "pipelines[0].max-in-flight.bytes: invalid value \"1000\": must be at least 1KiB"),
                Arguments.of("max-in-flight: { records: 10000001 }",
                        "pipelines[0].max-in-flight.records: invalid value \"10000001\": must be an integer in 1..10000000"),
                Arguments.of("resume: latest",
                        "pipelines[0].resume: invalid value \"latest\": must be one of store, broker"),
                Arguments.of("key: jsn:/id",
                        "pipelines[0].key: invalid value \"jsn:/id\": must be native, header:NAME, json:/POINTER "
                                + "(such as json:/order_id), subject, topic or none"),
                Arguments.of("key: json:order_id",
                        "pipelines[0].key: invalid value \"json:order_id\": must be a JSON Pointer after json:, starting "
                                + "with / such as json:/order_id (write ~0 for ~ and ~1 for / in a field name)"),
                Arguments.of("key: \"header:\"",
                        "pipelines[0].key: invalid value \"header:\": must name a header after header:, such as header:tenant-id"),
                Arguments.of("retry: { attempts: 0 }",
                        "pipelines[0].retry.attempts: invalid value \"0\": must be an integer in 1..1000"),
                Arguments.of("retry: { backoff: 30s..1s }",
                        "pipelines[0].retry.backoff: invalid value \"30s..1s\": MIN must not be greater than MAX"),
                Arguments.of("retry: { backoff: 0ms..1s }",
                        "pipelines[0].retry.backoff: invalid value \"0ms..1s\": MIN must be at least 1ms"),
                Arguments.of("retry: { backoff: 200ms }",
                        "pipelines[0].retry.backoff: invalid value \"200ms\": must be a range MIN..MAX of durations such as 200ms..30s"),
                Arguments.of("retry: { jitter: maybe }",
                        "pipelines[0].retry.jitter: invalid value \"maybe\": must be true or false"),
                Arguments.of("retry: 5", "pipelines[0].retry: must be a mapping (key: value), not a single value"),
                Arguments.of("lanes: [1, 2]", "pipelines[0].lanes: must be a single value, not a list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void reportsABadValueWithWhatIsAllowed(String line, String expected) {
        List<String> problems = files().problems(CONNECTIONS + """
                pipelines:
                  - name: orders
                    from: { connection: local, subject: a }
                    to: { connection: local, subject: b }
                    %s
                """.formatted(line));

        assertThat(problems).hasSize(1);
        assertThat(problems.getFirst()).startsWith("8:").endsWith(": " + expected);
    }

    static Stream<Arguments> badTopLevelValues() {
        return Stream.of(
                Arguments.of("shutdown-timeout: -1s",
                        "shutdown-timeout: invalid value \"-1s\": must be a duration: a whole number and a unit ms, s, m, "
                                + "h or d, such as 500ms or 2m"),
                Arguments.of("http: { listen: \"127.0.0.1:70000\" }",
                        "http.listen: invalid value \"127.0.0.1:70000\": must be HOST:PORT with PORT in 0..65535, such as 127.0.0.1:8083"),
                Arguments.of("http: { listen: \"::1:80\" }",
                        "http.listen: invalid value \"::1:80\": must be HOST:PORT with PORT in 0..65535, such as "
                                + "127.0.0.1:8083 (an IPv6 HOST goes in brackets: [::1]:8083)"),
                Arguments.of("http: { enabled: nope }", "http.enabled: invalid value \"nope\": must be true or false"),
                Arguments.of("offsets: { commit-interval: 1ms }",
                        "offsets.commit-interval: invalid value \"1ms\": must be at least 10ms"),
                Arguments.of("offsets: { postgres: { url: \"postgres://h/db\", user: u } }",
                        "offsets.postgres.url: invalid value \"postgres://h/db\": must be a JDBC URL such as "
                                + "jdbc:postgresql://127.0.0.1:5432/bridge"),
                Arguments.of("offsets: { postgres: { url: \"jdbc:postgresql://h/db\", user: u, schema: \"a;drop\" } }",
                        "offsets.postgres.schema: invalid value \"a;drop\": must be 1 to 63 lower-case letters, "
                                + "digits or _, starting with a letter or _, not starting with pg_"),
                Arguments.of("offsets: { postgres: { url: \"jdbc:postgresql://h/db\", user: u, pool-size: 0 } }",
                        "offsets.postgres.pool-size: invalid value \"0\": must be an integer in 1..100"),
                Arguments.of("offsets: { file: { path: a.json }, postgres: { url: \"jdbc:postgresql://h/db\", user: u } }",
                        "offsets: both file and postgres are given: exactly one of them is allowed"),
                Arguments.of("connections: [local]",
                        "connections: must be a mapping (key: value), not a list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTopLevelValues")
    void reportsABadTopLevelValueWithWhatIsAllowed(String line, String expected) {
        List<String> problems = files().problems(line + "\n" + """
                pipelines:
                  - { name: p, from: { connection: local, subject: a }, to: { connection: local, subject: b } }
                """ + (line.startsWith("connections") ? "" : CONNECTIONS));

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("1:").endsWith(": " + expected));
    }

    static Stream<Arguments> keyForms() {
        return Stream.of(
                Arguments.of("native", new KeySpec.Native()),
                Arguments.of("header:tenant-id", new KeySpec.Header("tenant-id")),
                Arguments.of("json:/order/id~1x~0y", new KeySpec.JsonPointer("/order/id~1x~0y")),
                Arguments.of("subject", new KeySpec.Topic()),
                Arguments.of("topic", new KeySpec.Topic()),
                Arguments.of("none", new KeySpec.None()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyForms")
    void readsEveryFormOfKey(String written, KeySpec expected) {
        ConfigLoader.Result result = files().load(CONNECTIONS + """
                pipelines:
                  - { name: p, key: "%s", from: { connection: local, subject: a }, to: { connection: local, subject: b } }
                """.formatted(written));

        assertThat(result.config().orElseThrow().pipelines().getFirst().key()).isEqualTo(expected);
    }

    static Stream<Arguments> sizesAndDurations() {
        return Stream.of(
                Arguments.of("2048", "25ms", 2048L, Duration.ofMillis(25)),
                Arguments.of("2KiB", "3s", 2048L, Duration.ofSeconds(3)),
                Arguments.of("3MiB", "4m", 3L << 20, Duration.ofMinutes(4)),
                Arguments.of("1GiB", "5h", 1L << 30, Duration.ofHours(5)),
                Arguments.of("2KB", "1d", 2000L, Duration.ofDays(1)),
                Arguments.of("3MB", "10ms", 3_000_000L, Duration.ofMillis(10)),
                Arguments.of("4GB", "1s", 4_000_000_000L, Duration.ofSeconds(1)),
                Arguments.of("5000B", "60s", 5000L, Duration.ofMinutes(1)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("sizesAndDurations")
    void readsSizesAndDurationsInEveryUnit(String size, String duration, long bytes, Duration interval) {
        ConfigLoader.Result result = files().load(CONNECTIONS + """
                pipelines:
                  - name: p
                    from: { connection: local, subject: a }
                    to: { connection: local, subject: b }
                    max-in-flight: { bytes: %s }
                    commit-interval: %s
                """.formatted(size, duration));

        assertThat(result.problems()).isEmpty();
        PipelineConfig pipeline = result.config().orElseThrow().pipelines().getFirst();
        assertThat(pipeline.maxInFlightBytes()).isEqualTo(bytes);
        assertThat(pipeline.commitInterval()).isEqualTo(interval);
    }

    @Test
    void readsAnIpv6ListenAddressInBrackets() {
        ConfigLoader.Result result = files().load("http: { listen: \"[::1]:0\" }\n" + CONNECTIONS + """
                pipelines:
                  - { name: p, from: { connection: local, subject: a }, to: { connection: local, subject: b } }
                """);

        assertThat(result.config().orElseThrow().http()).isEqualTo(new HttpConfig(true, "::1", 0));
    }

    @Test
    void rejectsAPipelineNameOutsideTheAllowedCharacters() {
        assertThat(files().problems(CONNECTIONS + """
                pipelines:
                  - { name: "my pipe", from: { connection: local, subject: a }, to: { connection: local, subject: b } }
                """)).containsExactly("5:13: pipelines[0].name: invalid value \"my pipe\": must be 1 to 100 letters, "
                + "digits, '_' or '-', starting with a letter or digit");
    }

    @Test
    void reportsAnUnknownConnectionWithTheDefinedOnesInFileOrder() {
        List<String> problems = files().problems(CONNECTIONS + """
                pipelines:
                  - name: orders
                    from: { connection: nast, subject: a, whatever: 1 }
                    to: { connection: local, subject: b }
                    dead-letter: { connection: dlq }
                """);

        assertThat(problems).containsExactly(
                "6:25: pipelines[0].from.connection: unknown connection \"nast\"; defined: local, legacy",
                "8:32: pipelines[0].dead-letter.connection: unknown connection \"dlq\"; defined: local, legacy");
    }

    @Test
    void reportsAnUnknownTypeWithTheAvailableConnectorsAndSkipsTheRestOfThatSection() {
        List<String> problems = files().connectors(new TestConnector(), new NamedConnector("nats"), new NamedConnector("pulsar"))
                .problems("""
                        connections:
                          local: { type: natss, servers: [x], anything: goes }
                        pipelines:
                          - name: orders
                            from: { connection: local, subject: a, more: 1 }
                            to: { connection: local, subject: b }
                        """);

        assertThat(problems).containsExactly(
                "2:18: connections.local.type: unknown type \"natss\"; available: nats, pulsar, test");
    }

    @Test
    void reportsThePipelineProblemsOfAConnectionThatHasProblemsInTheSameRun() {
        List<String> problems = files().problems("""
                connections:
                  local: { type: test, url: "http://local" }
                pipelines:
                  - { name: orders, from: { connection: local, batch: 500 }, to: { connection: local, subjct: b } }
                """);

        assertThat(problems).containsExactly("2:29: connections.local.url: must start with test://",
                "4:27: pipelines[0].from.subject: is required but missing",
                "4:55: pipelines[0].from.batch: invalid value \"500\": must be an integer in 1..100",
                "4:66: pipelines[0].to.subject: is required but missing",
                "4:87: pipelines[0].to.subjct: unknown key \"subjct\" (did you mean \"subject\"?); allowed: connection, subject");
    }

    @Test
    void reportsAConnectorThatFailsAsAProblemAboutItsSection() {
        Connector broken = new NamedConnector("broken") {
            @Override
            public ConnectionSpec connection(String name, ConfigNode node) {
                throw new IllegalStateException("boom");
            }
        };

        List<String> problems = files().connectors(broken).problems("""
                connections:
                  local: { type: broken }
                pipelines:
                  - { name: orders, from: { connection: local }, to: { connection: local } }
                """);

        assertThat(problems).containsExactly("2:10: connections.local: the connector failed on this section with "
                + "java.lang.IllegalStateException (a bug in the connector)");
    }

    @Test
    void reportsADuplicateKey() {
        List<String> problems = files().problems(CONNECTIONS + """
                pipelines:
                  - name: orders
                    from: { connection: local, subject: a }
                    to: { connection: local, subject: b }
                    lanes: 2
                    lanes: 4
                """);

        assertThat(problems).containsExactly(
                "9:5: pipelines[0].lanes: duplicate key \"lanes\": already given at line 8; each key may appear once");
    }

    @Test
    void rejectsASecondYamlDocument() {
        assertThat(files().problems(CONNECTIONS + """
                pipelines:
                  - { name: p, from: { connection: local, subject: a }, to: { connection: local, subject: b } }
                ---
                pipelines: []
                """)).containsExactly(
                "7:1: (top level): a second YAML document is not allowed: a config file holds exactly one document");
    }

    @Test
    void rejectsATopLevelThatIsNotAMapping() {
        assertThat(files().problems("- a\n- b\n")).containsExactly("1:1: (top level): must be a mapping with the keys "
                + "offsets, http, shutdown-timeout, connections and pipelines, not a list");
    }

    @Test
    void resolvesAnchorsAndAliases() {
        ConfigLoader.Result result = files().load(CONNECTIONS + """
                pipelines:
                  - name: a
                    from: { connection: local, subject: a }
                    to: { connection: local, subject: b }
                    retry: &patient { attempts: 9, backoff: 1s..1m }
                  - name: b
                    from: { connection: local, subject: a }
                    to: { connection: local, subject: b }
                    retry: *patient
                """);

        assertThat(result.problems()).isEmpty();
        assertThat(result.config().orElseThrow().pipelines()).extracting(PipelineConfig::retry)
                .containsOnly(new RetryConfig(9, Duration.ofSeconds(1), Duration.ofMinutes(1), true));
    }

    @Test
    void reportsAMissingConfigFile() {
        Path missing = dir.resolve("nope.yaml");

        ConfigLoader.Result result = ConfigLoader.load(missing, name -> null, List.of());

        assertThat(result.problems()).extracting(Problem::toString)
                .containsExactly(missing + ": cannot read the config file: no such file; give the path of a pipelines file (YAML)");
    }

    @Test
    void reportsADirectoryGivenAsTheConfigFileInWords() {
        ConfigLoader.Result result = ConfigLoader.load(dir, name -> null, List.of());

        assertThat(result.problems()).extracting(Problem::toString)
                .containsExactly(dir + ": cannot read the config file: it is a directory; give the path of a pipelines file (YAML)");
    }

    @Test
    void reportsATabAtTheLineAndColumnWhereItIs() {
        assertThat(files().problems(CONNECTIONS + """
                pipelines:
                  - name: orders
                    from: { connection: local, subject: a }
                \tto: { connection: local, subject: b }
                """)).containsExactly("7:1: pipelines[0].from: invalid YAML: found character '\\t(TAB)' that cannot "
                + "start any token. (Do not use \\t(TAB) for indentation) (while scanning for the next token); "
                + "indent with spaces");
    }

    @Test
    void reportsAnUnclosedQuoteWhereTheQuoteOpens() {
        assertThat(files().problems(CONNECTIONS + """
                pipelines:
                  - name: orders
                    from: { connection: local, subject: "a }
                    to: { connection: local, subject: b }
                  - name: other
                """)).containsExactly("6:41: pipelines[0].from.subject: invalid YAML: this quoted value is never "
                + "closed: add the closing quote");
    }

    @Test
    void theServiceLoaderVariantOffersOnlyTheConnectorsOnTheClassPath() {
        Path file = files().write("bridge.yaml", """
                connections:
                  local: { type: test }
                pipelines:
                  - { name: p, from: { connection: local }, to: { connection: local } }
                """);

        ConfigLoader.Result result = ConfigLoader.load(file);

        assertThat(ConfigFiles.problemsOf(result)).singleElement().asString()
                .startsWith("2:18: connections.local.type: unknown type \"test\"; available: ");
    }

    /** A connector that reads nothing: for the list of available types. */
    private static class NamedConnector implements Connector {
        private final String type;

        NamedConnector(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public ConnectionSpec connection(String name, ConfigNode node) {
            throw new UnsupportedOperationException("not read in this test");
        }
    }

    /** The test connector, keeping the connection specs it made. */
    private record RecordingConnector(List<ConnectionSpec> specs) implements Connector {
        @Override
        public String type() {
            return "test";
        }

        @Override
        public ConnectionSpec connection(String name, ConfigNode node) {
            ConnectionSpec spec = new TestConnector().connection(name, node);
            specs.add(spec);
            return spec;
        }
    }
}
