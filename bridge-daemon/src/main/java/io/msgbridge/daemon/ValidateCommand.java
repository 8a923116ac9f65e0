package io.msgbridge.daemon;

import io.msgbridge.config.BridgeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code bridge validate FILE}: checks FILE without connecting anywhere. */
@Command(name = "validate", description = "Check FILE without connecting anywhere; print every problem as FILE:LINE:COLUMN: path: message.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the pipelines file (YAML)")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Optional<BridgeConfig> config = ConfigFile.load(file, spec.commandLine().getErr());
        if (config.isEmpty()) {
            return ExitCodes.INVALID;
        }
        spec.commandLine().getOut().println(file + ": valid, " + config.get().pipelines().size() + " pipelines");
        config.get().pipelines().forEach(p -> spec.commandLine().getOut().println(
                "  " + p.name() + ": " + p.source().describe() + " -> " + p.sink().describe()));
        return ExitCodes.OK;
    }
}
