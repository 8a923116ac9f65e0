package io.msgbridge.daemon;

import io.msgbridge.backend.Plural;
import io.msgbridge.config.BridgeConfig;
import io.msgbridge.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code bridge validate FILE}: checks FILE without connecting anywhere, then lints it. */
@Command(name = "validate", description = {
        "Check FILE without connecting anywhere; print every problem as FILE:LINE:COLUMN: path: message.",
        "Then lint it: warnings (FILE:LINE:COLUMN: warning: path: message, with the fix) about a valid file that "
                + "likely does not do what was meant; they do not change the exit code unless --strict."})
final class ValidateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the pipelines file (YAML)")
    Path file;

    @Option(names = "--strict", description = "exit 2 when there are warnings, as for problems")
    boolean strict;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ConfigLoader.Result result = ConfigFile.report(ConfigFile.read(file), file, err::println, "nothing was started");
        err.flush();
        if (result.config().isEmpty()) {
            return ExitCodes.INVALID;
        }
        BridgeConfig config = result.config().get();
        PrintWriter out = spec.commandLine().getOut();
        int warnings = result.warnings().size();
        out.println(file + ": valid, " + Plural.of(config.pipelines().size(), "pipeline")
                + (warnings == 0 ? "" : ", " + Plural.of(warnings, "warning")));
        config.pipelines().forEach(p -> out.println("  " + p.name() + ": " + p.source().describe() + " -> " + p.sink().describe()));
        return strict && warnings > 0 ? ExitCodes.INVALID : ExitCodes.OK;
    }
}
