package io.msgbridge.daemon;

import io.msgbridge.config.BridgeConfig;
import io.msgbridge.config.ConfigLoader;
import io.msgbridge.config.Problem;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/** Loads a config file for a command, printing every problem at once when it is not valid. */
final class ConfigFile {
    private ConfigFile() {
    }

    static Optional<BridgeConfig> load(Path file, PrintWriter err) {
        ConfigLoader.Result result = ConfigLoader.load(file);
        for (Problem problem : result.problems()) {
            err.println(problem);
        }
        if (!result.ok()) {
            err.println(result.problems().size() + (result.problems().size() == 1 ? " problem" : " problems")
                    + " in " + file + "; nothing was started");
            err.flush();
        }
        return result.config();
    }
}
