package io.msgbridge.config;

import io.msgbridge.spi.Connector;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Reads a YAML config file into a {@link BridgeConfig}, checking everything it can without connecting
 * anywhere: every problem of the file is collected and reported at once, with its line and column, the
 * YAML path, the bad value (unless it is a secret or was read from a file) and what is allowed.
 * Connection sections are read by the {@link Connector} of their {@code type:}.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /**
     * The outcome of a load.
     *
     * @param config   the config, present only when there are no problems
     * @param problems every problem found, by line then column
     * @param warnings what the lint found ({@link Lint}), by line then column; they do not make the
     *                 file invalid
     */
    public record Result(Optional<BridgeConfig> config, List<Problem> problems, List<Problem> warnings) {
        public Result {
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
        }

        /** Whether the file is free of problems (and {@link #config()} is present). */
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Reads and checks FILE. Never connects anywhere.
     *
     * @param file       the config file; problems name it as given
     * @param env        the environment for {@code ${VAR}}; returns null for an unset variable
     * @param connectors the backends that may appear as a connection's {@code type:}
     */
    public static Result load(Path file, Function<String, String> env, Collection<Connector> connectors) {
        Problems problems = new Problems(file.toString());
        Path absolute = file.toAbsolutePath().normalize();
        Path baseDir = absolute.getParent() != null ? absolute.getParent() : absolute;
        LoadContext context = new LoadContext(problems, new Substitution(env, baseDir), baseDir);
        Optional<BridgeConfig> config = text(file, problems)
                .flatMap(text -> YamlReader.read(text, problems))
                .flatMap(tree -> check(tree, file, context, connectors));
        List<Problem> found = problems.sorted();
        return new Result(found.isEmpty() ? config : Optional.empty(), found, problems.sortedWarnings());
    }

    /** Same, with {@link System#getenv(String)} and the connectors found by {@code ServiceLoader<Connector>}. */
    public static Result load(Path file) {
        List<Connector> connectors = ServiceLoader.load(Connector.class).stream().map(ServiceLoader.Provider::get).toList();
        return load(file, System::getenv, connectors);
    }

    private static Optional<BridgeConfig> check(YamlNode tree, Path file, LoadContext context,
                                                Collection<Connector> connectors) {
        if (!(tree instanceof YamlNode.Mapping mapping)) {
            context.problems().add(tree.at(), "", "must be a mapping with the keys offsets, http, shutdown-timeout, "
                    + "connections and pipelines, not " + tree.kind());
            return Optional.empty();
        }
        BridgeConfig config = new BridgeConfigReader(context, connectors).read(new MappingNode(context, "", mapping), file);
        context.reportUnknownKeys();
        return Optional.of(config);
    }

    private static Optional<String> text(Path file, Problems problems) {
        String problem;
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            problem = "no such file";
        } catch (MalformedInputException e) {
            problem = "it is not UTF-8 text";
        } catch (AccessDeniedException e) {
            problem = "permission denied";
        } catch (IOException e) {
            problem = Files.isDirectory(file) ? "it is a directory" : e.getMessage();
        }
        problems.add(Location.UNKNOWN, "", "cannot read the config file: " + problem
                + "; give the path of a pipelines file (YAML)");
        return Optional.empty();
    }
}
