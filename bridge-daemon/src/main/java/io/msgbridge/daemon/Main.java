package io.msgbridge.daemon;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code bridge}: the daemon's command line. Exit codes: 0 success, 1 runtime failure, 2 invalid
 * config or usage.
 */
@Command(name = "bridge", mixinStandardHelpOptions = true, version = "msgbridge 0.1.0",
        description = "Bridges and replicates messages between NATS, Pulsar, NSQ, Kafka and RocketMQ.",
        subcommands = {RunCommand.class, ValidateCommand.class, OffsetsCommand.class, KeysCommand.class, DlqCommand.class,
                SendCommand.class, TapCommand.class, VerifyCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main())
                .setExitCodeExceptionMapper(e -> ExitCodes.RUNTIME)
                .setParameterExceptionHandler((e, a) -> {
                    PrintWriter err = e.getCommandLine().getErr();
                    err.println(e.getMessage());
                    if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
                        e.getCommandLine().usage(err);
                    }
                    return ExitCodes.INVALID;
                });
        withHelp(cli);
        return cli.execute(args);
    }

    /**
     * Gives every command and subcommand {@code --help} (and {@code --version}), which picocli answers
     * before it checks required parameters: {@code bridge run --help} prints the usage, not "missing FILE".
     */
    private static void withHelp(CommandLine command) {
        if (!(command.getCommand() instanceof CommandLine.HelpCommand)) {
            command.getCommandSpec().mixinStandardHelpOptions(true);
        }
        command.getSubcommands().values().forEach(Main::withHelp);
    }
}
