package io.msgbridge.daemon;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bridge}: the daemon's command line. Exit codes: 0 success, 1 runtime failure, 2 invalid
 * config or usage.
 */
@Command(name = "bridge", mixinStandardHelpOptions = true, version = "msgbridge 0.1.0",
        description = "Bridges and replicates messages between NATS, Pulsar and NSQ.",
        subcommands = {RunCommand.class, ValidateCommand.class, OffsetsCommand.class, KeysCommand.class, DlqCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        return new CommandLine(new Main())
                .setExitCodeExceptionMapper(e -> ExitCodes.RUNTIME)
                .setParameterExceptionHandler((e, a) -> {
                    e.getCommandLine().getErr().println(e.getMessage());
                    e.getCommandLine().usage(e.getCommandLine().getErr());
                    return ExitCodes.INVALID;
                })
                .execute(args);
    }
}
