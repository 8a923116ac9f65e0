package io.msgbridge.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class CommandLineTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private Run bridge(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private Path file(String yaml) throws Exception {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"run --help", "validate --help", "offsets --help", "offsets set --help", "keys --help",
            "keys release --help", "dlq list --help", "dlq replay --help", "send --help", "tap --help", "verify --help", "help",
            "help run", "--help"})
    void helpIsAnsweredForEveryCommandWithoutItsRequiredArguments(String args) {
        Run run = bridge(args.split(" "));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Usage: bridge").doesNotContain("Missing required");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aMisspelledCommandGetsASuggestion() {
        Run run = bridge("valdate", "x.yaml");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument").contains("Did you mean").contains("validate");
    }

    @Test
    void validatePrintsEveryProblemWithFileLineAndColumnAndExitsTwo() throws Exception {
        Path file = file("""
                connections:
                  local: { type: nats, servers: [nats://127.0.0.1:4222], token: s3cret-token, tokn: x }
                pipelines:
                  - name: a
                    from: { connection: local, subject: in }
                    to: { connection: nope, subject: out }
                    lanes: many
                """);
        Run run = bridge("validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(file + ":2:")
                .contains("connections.local.tokn: unknown key \"tokn\"")
                .contains(file + ":6:23: pipelines[0].to.connection: unknown connection \"nope\"; defined: local")
                .contains(file + ":7:12: pipelines[0].lanes: invalid value \"many\"")
                .contains("3 problems in " + file)
                .doesNotContain("s3cret-token");
    }

    @Test
    void validateReportsEveryProblemAtOnceEvenBehindABadConnection() throws Exception {
        Path file = file("""
                connections:
                  pulsar: { type: pulsar, service-url: http://localhost:8080 }
                  nats: { type: nats, servers: [nats://127.0.0.1:4222] }
                pipelines:
                  - name: a
                    from: { connection: pulsar, topic: in, subscription-type: "exclusiv" }
                    to: { connection: pulsar }
                """);
        Run run = bridge("validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(file + ":2:40: connections.pulsar.service-url: invalid value \"http://localhost:8080\"")
                .contains(file + ":6:63: pipelines[0].from.subscription-type: invalid value \"exclusiv\"")
                .contains(file + ":7:9: pipelines[0].to.topic: is required but missing")
                .contains("3 problems in " + file);
    }

    @Test
    void validateNamesAMissingFileAndADirectoryInWords() {
        Run missing = bridge("validate", dir.resolve("nope.yaml").toString());
        Run directory = bridge("validate", dir.toString());

        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).startsWith(dir.resolve("nope.yaml") + ": cannot read the config file: no such file;")
                .doesNotContain(":0:0");
        assertThat(directory.exitCode()).isEqualTo(2);
        assertThat(directory.err()).startsWith(dir + ": cannot read the config file: it is a directory;")
                .doesNotContain("IOException");
    }

    @Test
    void validateWarnsOfAKeyThatIsTheSameForEveryRecordWithTheFixAndExitsZero() throws Exception {
        Path file = file("""
                connections:
                  nsq: { type: nsq, nsqd: [127.0.0.1:4150] }
                  nats: { type: nats, servers: [nats://127.0.0.1:4222] }
                pipelines:
                  - name: from-nsq
                    from: { connection: nsq, topic: events, channel: bridge }
                    to: { connection: nats, subject: out }
                  - name: one-subject
                    from: { connection: nats, stream: S, filter-subject: orders.created }
                    to: { connection: nats, subject: out }
                    key: subject
                  - name: fine
                    from: { connection: nats, stream: S, filter-subject: "orders.>" }
                    to: { connection: nats, subject: out }
                    key: subject
                """);
        Run run = bridge("validate", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(file + ": valid, 3 pipelines, 2 warnings");
        assertThat(run.err().lines()).hasSize(2);
        assertThat(run.err()).contains(file + ":5:5: warning: pipelines[0].key: key: native is the same for every record, "
                        + "since this source's messages carry no key")
                .contains(file + ":11:10: warning: pipelines[1].key: key: subject is the same for every record, since "
                        + "this source reads one topic or subject")
                .contains("key: json:/FIELD");
        assertThat(bridge("validate", "--strict", file.toString()).exitCode()).isEqualTo(2);
    }

    @Test
    void validateWarnsOfRoutesThatDoNotKeepWhatTheyPromise() throws Exception {
        Path file = file("""
                shutdown-timeout: 3m
                connections:
                  nats: { type: nats, servers: [nats://127.0.0.1:4222] }
                  pulsar: { type: pulsar, service-url: pulsar://127.0.0.1:6650 }
                  nsq: { type: nsq, nsqd: [127.0.0.1:4150] }
                pipelines:
                  - name: core-into-jetstream
                    from: { connection: nats, subject: "demo.>", queue-group: bridges }
                    to: { connection: nats, subject: "archive.{subject}", create-stream: { name: A, subjects: ["archive.>"] } }
                    dead-letter: { connection: nats, subject: "archive.{subject}" }
                  - name: core-into-pulsar
                    from: { connection: nats, subject: "demo.>" }
                    to: { connection: pulsar, topic: out, dedup: true }
                    key: none
                  - name: shared
                    from: { connection: pulsar, topic: in, subscription-type: shared }
                    to: { connection: nats, subject: out }
                    key: json:/id
                  - name: nsq-into-pulsar
                    from: { connection: nsq, topic: events, channel: bridge }
                    to: { connection: pulsar, topic: out, dedup: true }
                    key: json:/id
                """);
        Run run = bridge("validate", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains(file + ":8:63: warning: pipelines[0].from.queue-group: queue-group shares the records with "
                        + "other consumers, so records of one key: native can be handled by two daemons at once")
                .contains(file + ":9:74: warning: pipelines[0].to.create-stream.duplicate-window: the duplicate window "
                        + "(2m) is shorter than shutdown-timeout (3m): a replay")
                .contains("set it to at least 3m")
                .contains(file + ":10:18: warning: pipelines[0].dead-letter: the dead-letter route writes where the sink "
                        + "writes")
                .contains(file + ":12:11: warning: pipelines[1].from: this source is at-most-once")
                .contains("so dedup on the sink cannot make this route effectively-once")
                .contains(file + ":16:63: warning: pipelines[2].from.subscription-type: subscription-type shares the "
                        + "records with other consumers, so records of one key: json:/id")
                .contains(file + ":21:50: warning: pipelines[3].to.dedup: dedup deduplicates by the source's sequence, "
                        + "and the records of nsq:events/bridge have none");
        assertThat(run.out()).contains("valid, 4 pipelines, 6 warnings");
    }

    @Test
    void validateAcceptsTheQuickStartAndNamesItsPipelines() {
        Run run = bridge("validate", Path.of("..", "config", "quickstart.yaml").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("quickstart: nats:demo.> -> nats-jetstream:archive.{subject}");
    }

    @Test
    void validateAcceptsTheTryFileWhichNeedsNoBroker() {
        Run run = bridge("validate", Path.of("..", "config", "try.yaml").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("try: generate:orders -> stdout");
    }

    @Test
    void validateReportsAnUndefinedVariable() throws Exception {
        Path file = file("""
                connections:
                  local: { type: nats, servers: ["${NO_SUCH_VARIABLE_FOR_BRIDGE_TEST}"] }
                pipelines:
                  - { name: a, from: { connection: local, subject: in }, to: { connection: local, subject: out } }
                """);
        Run run = bridge("validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("NO_SUCH_VARIABLE_FOR_BRIDGE_TEST");
    }

    @Test
    void runRefusesToStartOnAnInvalidFile() throws Exception {
        Path file = file("pipelines: []\n");
        Run run = bridge("run", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("nothing was started");
    }

    @Test
    void runRefusesAnInstanceIdWithSpaces() throws Exception {
        Path file = file("pipelines: []\n");
        Run run = bridge("run", file.toString(), "--instance-id", "two words");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--instance-id (or BRIDGE_INSTANCE_ID): invalid value \"two words\": must be 1 to 253"
                + " printable ASCII characters without spaces");
    }

    @Test
    void offsetsShowSaysWhenNothingWasCommittedYet() throws Exception {
        Path file = file("""
                connections:
                  local: { type: nats, servers: [nats://127.0.0.1:4222] }
                pipelines:
                  - { name: a, from: { connection: local, stream: S }, to: { connection: local, subject: out } }
                """);
        Run run = bridge("offsets", "show", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("PIPELINE").contains("(nothing committed yet)");
    }

    @Test
    void offsetsSetThenShowPrintsTheNewPosition() throws Exception {
        Path file = file("""
                connections:
                  local: { type: nats, servers: [nats://127.0.0.1:4222] }
                pipelines:
                  - { name: a, from: { connection: local, stream: S }, to: { connection: local, subject: out } }
                """);
        Run set = bridge("offsets", "set", file.toString(), "--pipeline", "a", "--partition", "S", "--position", "42", "--force");
        assertThat(set.exitCode()).as(set.err()).isZero();

        Run show = bridge("offsets", "show", file.toString(), "--pipeline", "a");
        assertThat(show.out()).containsPattern("a\\s+S\\s+42\\s");

        Run again = bridge("offsets", "set", file.toString(), "--pipeline", "a", "--partition", "S", "--position", "50");
        assertThat(again.exitCode()).as("a partition the store knows needs no --force: " + again.err()).isZero();
    }

    @Test
    void offsetsSetRefusesAPositionThatIsNotAStreamSequenceForJetStream() throws Exception {
        Path file = file("""
                connections:
                  local: { type: nats, servers: [nats://127.0.0.1:4222] }
                pipelines:
                  - { name: a, from: { connection: local, stream: S }, to: { connection: local, subject: out } }
                """);

        Run letters = bridge("offsets", "set", file.toString(), "--pipeline", "a", "--partition", "S", "--position", "abc", "--force");
        Run negative = bridge("offsets", "set", file.toString(), "--pipeline", "a", "--partition", "S", "--position", "-5", "--force");

        assertThat(letters.exitCode()).isEqualTo(2);
        assertThat(letters.err()).contains("--position: \"abc\" is not a JetStream stream sequence: a whole number, 0 or more");
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(bridge("offsets", "show", file.toString(), "--pipeline", "a").out()).doesNotContain("abc").doesNotContain("-5");
    }

    @Test
    void offsetsSetRefusesAPartitionTheStoreDoesNotKnowUnlessForced() throws Exception {
        Path file = file("""
                connections:
                  local: { type: nats, servers: [nats://127.0.0.1:4222] }
                pipelines:
                  - { name: a, from: { connection: local, stream: S }, to: { connection: local, subject: out } }
                """);
        bridge("offsets", "set", file.toString(), "--pipeline", "a", "--partition", "S", "--position", "42", "--force");

        Run set = bridge("offsets", "set", file.toString(), "--pipeline", "a", "--partition", "NOPE", "--position", "1");

        assertThat(set.exitCode()).isEqualTo(2);
        assertThat(set.err()).contains("has no stored position for partition \"NOPE\"; stored: S").contains("--force");
        assertThat(bridge("offsets", "show", file.toString(), "--pipeline", "a").out()).doesNotContain("NOPE");
    }

    @Test
    void offsetsShowNamesTheLineOfAGarbledOffsetsFileWithoutJacksonInternals() throws Exception {
        Path file = file("""
                connections:
                  local: { type: nats, servers: [nats://127.0.0.1:4222] }
                pipelines:
                  - { name: a, from: { connection: local, stream: S }, to: { connection: local, subject: out } }
                """);
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/offsets.json"), "{\n  garbage\n");

        Run run = bridge("offsets", "show", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("offsets file " + dir.resolve("data/offsets.json") + " is not valid: line 2, column 3: ")
                .contains("fix or move it away").doesNotContain("REDACTED").doesNotContain("StreamReadFeature");
    }

    @Test
    void keysSaysTheConnectionWasRefusedWhenNoDaemonListens() throws Exception {
        Path file = file("""
                http: { listen: 127.0.0.1:1 }
                connections:
                  local: { type: nats, servers: [nats://127.0.0.1:4222] }
                pipelines:
                  - { name: a, from: { connection: local, stream: S }, to: { connection: local, subject: out } }
                """);

        Run run = bridge("keys", "release", file.toString(), "--pipeline", "a", "--key", "k");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("keys: no daemon answers at 127.0.0.1:1 (connection refused)").doesNotContain("null");
    }

    @Test
    void verifySaysACoreNatsSourceCannotBeReadBackAndThatWithoutADaemonNothingIsVerified() throws Exception {
        Path file = file("""
                http: { listen: 127.0.0.1:1 }
                connections:
                  local: { type: nats, servers: [nats://127.0.0.1:4222] }
                pipelines:
                  - { name: a, from: { connection: local, subject: "demo.>" }, to: { connection: local, subject: out, mode: jetstream } }
                """);

        Run run = bridge("verify", file.toString(), "--pipeline", "a");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).contains("committed: nothing yet")
                .contains("daemon: none answers at http://127.0.0.1:1/pipelines")
                .contains("content not compared: the source nats:demo.> cannot be read back without consuming")
                .contains("verdict: NOT verified");
    }

    @Test
    @Tag("integration")
    void dlqListShowsWholeTimestampsAndPayloadsAsTextOrBase64AndWritesJsonLines() throws Exception {
        String schema = "dlqlist_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Path file = file("""
                offsets:
                  postgres: { url: "jdbc:postgresql://127.0.0.1:5432/test", user: postgres, schema: %s }
                connections:
                  local: { type: nats, servers: [nats://127.0.0.1:4222] }
                pipelines:
                  - name: a
                    from: { connection: local, stream: S }
                    to: { connection: local, subject: out }
                    dead-letter: { postgres: { table: dead } }
                """.formatted(schema));
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null);
             Statement st = db.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            st.execute("CREATE TABLE " + schema + ".dead (id bigserial PRIMARY KEY, record_id text NOT NULL UNIQUE, "
                    + "dead_lettered_at timestamptz NOT NULL DEFAULT now(), pipeline text NOT NULL, source text NOT NULL, "
                    + "topic text NOT NULL, source_partition text NOT NULL, source_position text NOT NULL, stage text NOT NULL, "
                    + "error_class text NOT NULL, error_message text NOT NULL, attempts integer NOT NULL, "
                    + "replays integer NOT NULL DEFAULT 0, first_failed_at timestamptz, last_failed_at timestamptz, "
                    + "record_key text, event_time timestamptz, headers jsonb NOT NULL, payload bytea NOT NULL)");
            st.execute("INSERT INTO " + schema + ".dead (record_id, pipeline, source, topic, source_partition, source_position, "
                    + "stage, error_class, error_message, attempts, first_failed_at, last_failed_at, record_key, headers, payload) "
                    + "VALUES ('r1', 'a', 'nats:stream S', 'in', 'S', '7', 'key', 'E', 'not JSON', 1, "
                    + "'2026-11-23T10:16:00.250Z', '2026-11-23T10:16:00.250Z', 'k1', '{}', convert_to('line one\nline two', 'UTF8')), "
                    + "('r2', 'a', 'nats:stream S', 'in', 'S', '8', 'sink', 'E', 'too large', 2, "
                    + "'2026-11-23T10:17:00Z', '2026-11-23T10:17:00.5Z', 'k2', '{}', '\\x00ff10'::bytea)");
        }
        try {
            Run text = bridge("dlq", "list", file.toString(), "--pipeline", "a", "--payload");
            Run json = bridge("dlq", "list", file.toString(), "--pipeline", "a", "--payload", "--format", "json");

            assertThat(text.exitCode()).as(text.err()).isZero();
            java.util.List<String> lines = text.out().lines().toList();
            assertThat(lines.get(0).indexOf("KEY")).as("columns as wide as their cells: " + text.out())
                    .isEqualTo(lines.get(1).indexOf("k1")).isEqualTo(lines.get(3).indexOf("k2"))
                    .isGreaterThan(lines.get(1).indexOf("2026-11-23T10:16:00.250Z") + 24);
            assertThat(lines.get(0).indexOf("ERROR")).isEqualTo(lines.get(1).indexOf("E: not JSON"));
            assertThat(lines.get(2)).isEqualTo("  payload (text): line one\\nline two");
            assertThat(lines.get(4)).isEqualTo("  payload (base64): AP8Q");
            assertThat(text.out()).contains("2 dead letters of pipeline a");
            assertThat(json.exitCode()).as(json.err()).isZero();
            ObjectMapper mapper = new ObjectMapper();
            java.util.List<JsonNode> objects = new java.util.ArrayList<>();
            for (String line : json.out().lines().toList()) {
                objects.add(mapper.readTree(line));
            }
            assertThat(objects).hasSize(2);
            assertThat(objects.get(0).get("key").asText()).isEqualTo("k1");
            assertThat(objects.get(0).get("payloadEncoding").asText()).isEqualTo("text");
            assertThat(objects.get(0).get("payload").asText()).isEqualTo("line one\nline two");
            assertThat(objects.get(1).get("lastFailedAt").asText()).isEqualTo("2026-11-23T10:17:00.500Z");
            assertThat(objects.get(1).get("payload").asText()).isEqualTo("AP8Q");
            assertThat(json.err()).contains("2 dead letters of pipeline a");
        } finally {
            try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null);
                 Statement st = db.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @Test
    void offsetsSetRejectsAnUnknownPipeline() throws Exception {
        Path file = file("""
                connections:
                  local: { type: nats, servers: [nats://127.0.0.1:4222] }
                pipelines:
                  - { name: a, from: { connection: local, stream: S }, to: { connection: local, subject: out } }
                """);
        Run run = bridge("offsets", "set", file.toString(), "--pipeline", "b", "--partition", "S", "--position", "1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown pipeline \"b\"; the file defines: a");
    }
}
