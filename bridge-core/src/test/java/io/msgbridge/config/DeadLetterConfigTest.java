package io.msgbridge.config;

import io.msgbridge.deadletter.PostgresDeadLetterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code dead-letter:} section: a backend's sink or a PostgreSQL table. */
class DeadLetterConfigTest {
    private static final String POSTGRES_OFFSETS = """
            offsets:
              postgres: { url: "jdbc:postgresql://127.0.0.1:5432/test", user: postgres, schema: dlq_test }
            """;
    private static final String CONNECTIONS = """
            connections:
              local: { type: test, url: "test://local" }
            """;

    @TempDir
    Path dir;

    private ConfigFiles files() {
        return new ConfigFiles(dir);
    }

    private static String pipeline(String deadLetter) {
        return """
                pipelines:
                  - name: orders
                    from: { connection: local, subject: orders }
                    to: { connection: local, subject: mirror }
                    dead-letter: %s
                """.formatted(deadLetter);
    }

    @Test
    void readsAPostgresTableInTheOffsetStoresSchema() {
        ConfigLoader.Result result = files().load(POSTGRES_OFFSETS + CONNECTIONS + pipeline("{ postgres: { table: dead_letters } }"));

        assertThat(result.problems()).isEmpty();
        PipelineConfig pipeline = result.config().orElseThrow().pipelines().getFirst();
        assertThat(pipeline.deadLetter()).get().isInstanceOf(PostgresDeadLetterSpec.class);
        assertThat(pipeline.deadLetter().get().describe()).isEqualTo("postgres:dlq_test.dead_letters");
        assertThat(pipeline.deadLetter().get().reader()).isPresent();
    }

    @Test
    void refusesAPostgresTableWhenOffsetsAreNotInPostgres() {
        assertThat(files().problems(CONNECTIONS + pipeline("{ postgres: { table: dead_letters } }")))
                .containsExactly("7:30: pipelines[0].dead-letter.postgres: a dead-letter table lives in the offset store's "
                        + "PostgreSQL: configure offsets.postgres, or use a backend's sink (connection: ...) instead");
    }

    @Test
    void refusesATableNameThatIsNotAPlainLowerCaseName() {
        assertThat(files().problems(POSTGRES_OFFSETS + CONNECTIONS + pipeline("{ postgres: { table: \"Dead-Letters\" } }")))
                .singleElement().asString()
                .contains("pipelines[0].dead-letter.postgres.table: invalid value \"Dead-Letters\"")
                .contains("lower-case letters, digits or _");
    }

    @Test
    void refusesBothAConnectionAndATable() {
        assertThat(files().problems(POSTGRES_OFFSETS + CONNECTIONS
                + pipeline("{ connection: local, subject: dlq, postgres: { table: dead_letters } }")))
                .singleElement().asString()
                .contains("pipelines[0].dead-letter: either connection: (a backend's sink) or postgres: (a table) is allowed, not both");
    }

    @Test
    void requiresTheTableName() {
        assertThat(files().problems(POSTGRES_OFFSETS + CONNECTIONS + pipeline("{ postgres: { } }")))
                .singleElement().asString()
                .contains("pipelines[0].dead-letter.postgres.table")
                .contains("required");
    }

    @Test
    void stillReadsABackendSinkAsTheDeadLetterRoute() {
        ConfigLoader.Result result = files().load(CONNECTIONS + pipeline("{ connection: local, subject: dlq.orders }"));

        assertThat(result.problems()).isEmpty();
        assertThat(result.config().orElseThrow().pipelines().getFirst().deadLetter()).isPresent();
    }
}
