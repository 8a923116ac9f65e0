package io.msgbridge.daemon;

import io.msgbridge.config.BridgeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code bridge keys release|skip}: tells the running daemon (through its HTTP endpoint, {@code http.listen}
 * of FILE) to let a parked key's held records go on to the sink, or to send them to the dead-letter route.
 */
@Command(name = "keys", description = "Release or skip a key parked by on-poison: park-key, in the running daemon.",
        subcommands = {KeysCommand.Release.class, KeysCommand.Skip.class})
final class KeysCommand {

    abstract static class Action implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "the pipelines file the daemon runs")
        Path file;

        @Option(names = "--pipeline", required = true, paramLabel = "NAME")
        String pipeline;

        @Option(names = "--key", required = true, paramLabel = "KEY")
        String key;

        @Spec
        CommandSpec spec;

        abstract String action();

        @Override
        public Integer call() throws InterruptedException {
            Optional<BridgeConfig> config = ConfigFile.load(file, spec.commandLine().getErr());
            if (config.isEmpty()) {
                return ExitCodes.INVALID;
            }
            if (!config.get().http().enabled()) {
                spec.commandLine().getErr().println("keys: http.enabled is false in " + file
                        + "; the daemon can only be told through its HTTP endpoint");
                return ExitCodes.INVALID;
            }
            URI uri = DaemonEndpoint.uri(config.get().http(), "/pipelines/"
                    + URLEncoder.encode(pipeline, StandardCharsets.UTF_8) + "/keys/" + action() + "?key="
                    + URLEncoder.encode(key, StandardCharsets.UTF_8));
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.noBody());
                config.get().http().adminToken().ifPresent(token -> request.header("Authorization", "Bearer " + token.reveal()));
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                boolean ok = response.statusCode() == 200;
                (ok ? spec.commandLine().getOut() : spec.commandLine().getErr()).println(response.body());
                return ok ? ExitCodes.OK : ExitCodes.RUNTIME;
            } catch (IOException e) {
                String why = e instanceof ConnectException ? "connection refused"
                        : Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
                spec.commandLine().getErr().println("keys: no daemon answers at " + uri.getAuthority() + " (" + why
                        + "); is 'bridge run " + file + "' running?");
                return ExitCodes.RUNTIME;
            }
        }
    }

    @Command(name = "release", description = "Let the parked key's held records go on to the sink, in order.")
    static final class Release extends Action {
        @Override
        String action() {
            return "release";
        }
    }

    @Command(name = "skip", description = "Send the parked key's held records to the dead-letter route; the key flows again.")
    static final class Skip extends Action {
        @Override
        String action() {
            return "skip";
        }
    }
}
