package io.msgbridge.config;

import io.msgbridge.spi.Secret;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Reads {@code offsets:}: a file store (the default) or PostgreSQL, and the commit interval. */
final class OffsetsReader {
    static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);
    static final Duration MIN_COMMIT_INTERVAL = Duration.ofMillis(10);
    static final String DEFAULT_FILE = "data/offsets.json";

    private final Path baseDir;

    OffsetsReader(Path baseDir) {
        this.baseDir = baseDir;
    }

    OffsetsConfig read(Optional<MappingNode> section) {
        if (section.isEmpty()) {
            return new OffsetsConfig.File(baseDir.resolve(DEFAULT_FILE).normalize(), DEFAULT_COMMIT_INTERVAL);
        }
        MappingNode offsets = section.get();
        Optional<MappingNode> file = offsets.mapping("file");
        Optional<MappingNode> postgres = offsets.mapping("postgres");
        Duration commitInterval = offsets.duration("commit-interval", DEFAULT_COMMIT_INTERVAL, MIN_COMMIT_INTERVAL);
        if (file.isPresent() && postgres.isPresent()) {
            offsets.problem("both file and postgres are given: exactly one of them is allowed");
        }
        OffsetsConfig.File fileStore = new OffsetsConfig.File(
                file.flatMap(f -> f.value("path", this::path)).orElse(baseDir.resolve(DEFAULT_FILE).normalize()),
                commitInterval);
        return postgres.<OffsetsConfig>map(pg -> postgres(pg, commitInterval)).orElse(fileStore);
    }

    private OffsetsConfig.Postgres postgres(MappingNode pg, Duration commitInterval) {
        String url = pg.required("url", OffsetsReader::jdbcUrl).orElse("");
        String user = pg.requiredString("user");
        Secret password = pg.secret("password").orElse(null);
        String schema = pg.value("schema", OffsetsReader::schema).orElse("bridge");
        int poolSize = pg.integer("pool-size", 4, 1, 100);
        return new OffsetsConfig.Postgres(url, user, password, schema, poolSize, commitInterval);
    }

    private Parsed<Path> path(String text) {
        try {
            return text.isBlank() ? Parsed.invalid("must be a file path such as " + DEFAULT_FILE)
                    : Parsed.ok(baseDir.resolve(text).normalize());
        } catch (InvalidPathException e) {
            return Parsed.invalid("must be a file path such as " + DEFAULT_FILE);
        }
    }

    private static Parsed<String> jdbcUrl(String text) {
        return text.startsWith("jdbc:postgresql:") ? Parsed.ok(text)
                : Parsed.invalid("must be a JDBC URL such as jdbc:postgresql://127.0.0.1:5432/bridge");
    }

    private static Parsed<String> schema(String text) {
        return PostgresNames.problem(text).<Parsed<String>>map(Parsed::invalid)
                .orElseGet(() -> Parsed.ok(text));
    }
}
