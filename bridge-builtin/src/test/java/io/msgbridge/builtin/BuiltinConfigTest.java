package io.msgbridge.builtin;

import io.msgbridge.config.ConfigLoader;
import io.msgbridge.config.PipelineConfig;
import io.msgbridge.config.Problem;
import io.msgbridge.spi.Connector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code type: generate} and {@code type: stdout} sections through the real config loader: every problem reported at once. */
class BuiltinConfigTest {
    private static final List<Connector> CONNECTORS = ServiceLoader.load(Connector.class).stream().map(ServiceLoader.Provider::get).toList();

    @TempDir
    Path dir;

    private ConfigLoader.Result load(String yaml) throws Exception {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file, Map.<String, String>of()::get, CONNECTORS);
    }

    private List<String> problems(String yaml) throws Exception {
        return load(yaml).problems().stream().map(Problem::toString).toList();
    }

    @Test
    void aPipelineWithEveryKeyLoadsAndDescribesItself() throws Exception {
        ConfigLoader.Result result = load("""
                connections:
                  gen: { type: generate }
                  out: { type: stdout }
                pipelines:
                  - name: p
                    from: { connection: gen, topic: orders, count: 500, rate: 2.5, keys: 3, payload: '{"n": {seq}, "k": "{key}"}', payload-size: 1KiB }
                    to: { connection: out, format: json }
                    dead-letter: { connection: out }
                """);

        assertThat(result.problems()).isEmpty();
        PipelineConfig pipeline = result.config().orElseThrow().pipelines().get(0);
        assertThat(pipeline.source().describe()).isEqualTo("generate:orders");
        assertThat(pipeline.sink().describe()).isEqualTo("stdout");
        assertThat(result.warnings()).extracting(Problem::message)
                .anySatisfy(w -> assertThat(w).contains("the dead-letter route writes where the sink writes"));
    }

    @Test
    void everySettingHasADefault() throws Exception {
        ConfigLoader.Result result = load("""
                connections:
                  gen: { type: generate }
                  out: { type: stdout }
                pipelines:
                  - { name: p, from: { connection: gen }, to: { connection: out } }
                """);

        assertThat(result.problems()).isEmpty();
        assertThat(result.config().orElseThrow().pipelines().get(0).source().describe()).isEqualTo("generate:generated");
    }

    @Test
    void everyProblemOfTheSectionsIsReportedWithTheRule() throws Exception {
        List<String> problems = problems("""
                connections:
                  gen: { type: generate, rate: 5 }
                  out: { type: stdout }
                pipelines:
                  - name: p
                    from: { connection: gen, topic: "", count: 0, rate: fast, keys: 0, payload: "{sq} of {key}", payload-size: 1GiB }
                    to: { connection: out, format: xml }
                  - name: q
                    from: { connection: gen, count: -5, rate: "-1" }
                    to: { connection: out }
                """);

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("connections.gen.rate: unknown key \"rate\""))
                .anySatisfy(p -> assertThat(p).contains("pipelines[0].from.topic: must not be empty"))
                .anySatisfy(p -> assertThat(p).contains("pipelines[0].from.count: invalid value \"0\": must be a whole number "
                        + "of records, at least 1 (leave count out for records without end)"))
                .anySatisfy(p -> assertThat(p).contains("pipelines[0].from.rate: invalid value \"fast\": must be a number of "
                        + "records per second above 0, such as 100 or 0.5"))
                .anySatisfy(p -> assertThat(p).contains("pipelines[0].from.keys: invalid value \"0\": must be an integer in 1..1000000"))
                .anySatisfy(p -> assertThat(p).contains("pipelines[0].from.payload: invalid value \"{sq} of {key}\": unknown "
                        + "placeholder {sq}: the placeholders are {seq} and {key}"))
                .anySatisfy(p -> assertThat(p).contains("pipelines[0].from.payload-size: invalid value \"1GiB\": must be at most 64MiB"))
                .anySatisfy(p -> assertThat(p).contains("pipelines[0].to.format: invalid value \"xml\": must be one of text, json"))
                .anySatisfy(p -> assertThat(p).contains("pipelines[1].from.count: invalid value \"-5\""))
                .anySatisfy(p -> assertThat(p).contains("pipelines[1].from.rate: invalid value \"-1\""))
                .hasSize(10);
        assertThat(problems).allSatisfy(p -> assertThat(p).startsWith(dir.resolve("bridge.yaml") + ":"));
    }

    @Test
    void aGenerateConnectionIsNoSinkAndAStdoutConnectionNoSource() throws Exception {
        List<String> problems = problems("""
                connections:
                  gen: { type: generate }
                  out: { type: stdout }
                pipelines:
                  - { name: p, from: { connection: out }, to: { connection: gen } }
                """);

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("pipelines[0].from.connection: connection \"out\" is of type "
                        + "stdout, which only writes records: read them from a connection of type generate, or of a broker"))
                .anySatisfy(p -> assertThat(p).contains("pipelines[0].to.connection: connection \"gen\" is of type generate, "
                        + "which only makes records: write them to a connection of type stdout, or of a broker"))
                .hasSize(2);
    }

    @Test
    void anOperatorsPositionIsASequenceNumber() throws Exception {
        Connector.SourceSpec source = load("""
                connections:
                  gen: { type: generate }
                  out: { type: stdout }
                pipelines:
                  - { name: p, from: { connection: gen }, to: { connection: out } }
                """).config().orElseThrow().pipelines().get(0).source();

        assertThat(source.position("generated", "41").sequence()).isEqualTo(41);
        assertThatThrownBy(() -> source.position("generated", "abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"abc\" is not a generate sequence number: a whole number, 0 or more");
    }
}
