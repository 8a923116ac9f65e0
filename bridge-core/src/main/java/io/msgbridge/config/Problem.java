package io.msgbridge.config;

/**
 * One thing wrong with a config file, printed as {@code FILE:LINE:COLUMN: path.to.field: message}.
 *
 * @param file    the file as given on the command line
 * @param line    1-based line, or 0 when unknown
 * @param column  1-based column, or 0 when unknown
 * @param path    the YAML path, e.g. {@code pipelines[2].retry.backoff}
 * @param message what is wrong and what is allowed; never contains a secret's value
 */
public record Problem(String file, int line, int column, String path, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + path + ": " + message;
    }
}
