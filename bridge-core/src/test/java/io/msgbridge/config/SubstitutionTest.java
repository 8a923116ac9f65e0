package io.msgbridge.config;

import io.msgbridge.spi.ConfigNode;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${file:PATH}} and the escape, seen through whole files. */
class SubstitutionTest {
    @TempDir
    Path dir;

    private static String file(String connection, String pipelineExtra) {
        return """
                connections:
                  local: %s
                pipelines:
                  - name: orders
                    from: { connection: local, subject: a }
                    to: { connection: local, subject: b }
                    %s
                """.formatted(connection, pipelineExtra);
    }

    private static final String LOCAL = "{ type: test, url: \"test://local\" }";

    private ConfigFiles files(Map<String, String> env) {
        return new ConfigFiles(dir).env(env);
    }

    private PipelineConfig onlyPipeline(ConfigLoader.Result result) {
        assertThat(result.problems()).isEmpty();
        return result.config().orElseThrow().pipelines().getFirst();
    }

    @Test
    void substitutesAVariableBeforeConversion() {
        ConfigLoader.Result result = files(Map.of("LANES", "8")).load(file(LOCAL, "lanes: ${LANES}"));

        assertThat(onlyPipeline(result).lanes()).isEqualTo(8);
    }

    @Test
    void substitutesAVariableInsideALongerValue() {
        ConfigLoader.Result result = files(Map.of("ENV", "prod")).load(file(
                "{ type: test, url: \"test://${ENV}-nats:4222\" }", ""));

        assertThat(result.problems()).isEmpty();
    }

    @Test
    void usesTheDefaultWhenTheVariableIsUnsetOrEmpty() {
        assertThat(onlyPipeline(files(Map.of()).load(file(LOCAL, "lanes: ${LANES:-4}"))).lanes()).isEqualTo(4);
        assertThat(onlyPipeline(files(Map.of("LANES", "")).load(file(LOCAL, "lanes: ${LANES:-4}"))).lanes()).isEqualTo(4);
        assertThat(onlyPipeline(files(Map.of("LANES", "2")).load(file(LOCAL, "lanes: ${LANES:-4}"))).lanes()).isEqualTo(2);
    }

    @Test
    void reportsAnUndefinedVariableAtItsValueNamingTheVariable() {
        List<String> problems = files(Map.of()).problems(file(LOCAL, "lanes: ${LANES}"));

        assertThat(problems).containsExactly("7:12: pipelines[0].lanes: undefined variable \"LANES\": set it in the "
                + "environment, or give a default as ${LANES:-DEFAULT}");
    }

    @Test
    void echoesABadValueThatCameFromAVariable() {
        List<String> problems = files(Map.of("LANES", "many")).problems(file(LOCAL, "lanes: ${LANES}"));

        assertThat(problems).containsExactly("7:12: pipelines[0].lanes: invalid value \"many\": must be an integer in 1..4096");
    }

    @Test
    void readsAFileRelativeToTheConfigDirectoryWithOneTrailingNewlineStripped() {
        ConfigFiles files = files(Map.of());
        files.write("conf/lanes", "12\n");

        ConfigLoader.Result result = files.load(file(LOCAL, "lanes: ${file:conf/lanes}"));

        assertThat(onlyPipeline(result).lanes()).isEqualTo(12);
    }

    @Test
    void keepsAllButOneTrailingNewlineOfAFile() {
        ConfigFiles files = files(Map.of());
        files.write("token", "abc\n\n");
        List<TestConnector.Connection> connections = new ArrayList<>();
        files.connectors(new CapturingConnector(connections))
                .load(file("{ type: test, url: \"test://x\", token: \"${file:token}\" }", ""));

        assertThat(connections).singleElement()
                .satisfies(c -> assertThat(c.token()).contains(new Secret("abc\n")));
    }

    @Test
    void reportsAMissingFileNamingItsPath() {
        List<String> problems = files(Map.of()).problems(file(LOCAL, "lanes: ${file:conf/lanes}"));

        assertThat(problems).containsExactly("7:12: pipelines[0].lanes: cannot read ${file:conf/lanes}: no such file "
                + dir.resolve("conf/lanes"));
    }

    @Test
    void neverEchoesAValueThatCameFromAFile() {
        ConfigFiles files = files(Map.of());
        files.write("lanes", "s3cr3t\n");

        List<String> problems = files.problems(file(LOCAL, "lanes: ${file:lanes}"));

        assertThat(problems).containsExactly(
                "7:12: pipelines[0].lanes: invalid value (read from a file, not shown): must be an integer in 1..4096");
    }

    @Test
    void neverEchoesASecret() {
        ConfigFiles files = files(Map.of("PGPASSWORD", "hunter2"));

        List<String> problems = files.problems("""
                offsets:
                  postgres: { url: "jdbc:postgresql://h/db", user: u, password: "${PGPASSWORD}${PGSUFFIX}", pool-size: lots }
                """ + file("{ type: test, url: \"test://x\", token: \"hunter2 ${NOPE}\" }", ""));

        assertThat(problems).containsExactly(
                "2:65: offsets.postgres.password: undefined variable \"PGSUFFIX\": set it in the environment, or give "
                        + "a default as ${PGSUFFIX:-DEFAULT}",
                "2:104: offsets.postgres.pool-size: invalid value \"lots\": must be an integer in 1..100",
                "4:48: connections.local.token: undefined variable \"NOPE\": set it in the environment, or give "
                        + "a default as ${NOPE:-DEFAULT}");
        assertThat(String.join("\n", problems)).doesNotContain("hunter2");
    }

    @Test
    void aDoubleDollarEscapesALiteralExpression() {
        List<TestConnector.Connection> connections = new ArrayList<>();
        files(Map.of("HOME", "/root")).connectors(new CapturingConnector(connections))
                .load(file("{ type: test, url: \"test://$${HOME}/${HOME}/$x\" }", ""));

        assertThat(connections).extracting(TestConnector.Connection::url).containsExactly("test://${HOME}//root/$x");
    }

    @Test
    void reportsAnUnterminatedExpression() {
        List<String> problems = files(Map.of()).problems(file(LOCAL, "lanes: \"${LANES\""));

        assertThat(problems).containsExactly("7:12: pipelines[0].lanes: unterminated \"${\": close it with \"}\", "
                + "or write \"$${\" for a literal \"${\"");
    }

    @Test
    void reportsAnInvalidVariableName() {
        List<String> problems = files(Map.of()).problems(file(LOCAL, "lanes: \"${MY LANES}\""));

        assertThat(problems).containsExactly("7:12: pipelines[0].lanes: invalid variable name \"MY LANES\" in "
                + "\"${MY LANES}\": use letters, digits and _, not starting with a digit; or ${file:PATH}");
    }

    @Test
    void substitutesInListItemsToo() {
        List<TestConnector.Connection> connections = new ArrayList<>();
        files(Map.of("HOST", "h1")).connectors(new CapturingConnector(connections))
                .load(file("{ type: test, url: \"test://x\", servers: [\"${HOST}:1\", \"${HOST2:-h2}:2\"] }", ""));

        assertThat(connections).extracting(TestConnector.Connection::servers).containsExactly(List.of("h1:1", "h2:2"));
    }

    /** The test connector, keeping the connections it read. */
    private record CapturingConnector(List<TestConnector.Connection> connections) implements Connector {
        @Override
        public String type() {
            return "test";
        }

        @Override
        public ConnectionSpec connection(String name, ConfigNode node) {
            TestConnector.Connection connection = (TestConnector.Connection) new TestConnector().connection(name, node);
            connections.add(connection);
            return connection;
        }
    }
}
