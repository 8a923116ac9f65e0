package io.msgbridge.config;

/**
 * One thing wrong with a config file, printed as {@code FILE:LINE:COLUMN: path.to.field: message}, or
 * {@code FILE: message} for the file as a whole (it cannot be read).
 *
 * @param file    the file as given on the command line
 * @param line    1-based line, or 0 when unknown
 * @param column  1-based column, or 0 when unknown
 * @param path    the YAML path, e.g. {@code pipelines[2].retry.backoff}; empty for the file as a whole
 * @param message what is wrong and what is allowed; never contains a secret's value
 */
public record Problem(String file, int line, int column, String path, String message) {
    /** As a lint warning: {@code FILE:LINE:COLUMN: warning: path.to.field: message}. */
    public String asWarning() {
        return file + ":" + line + ":" + column + ": warning: " + path + ": " + message;
    }

    @Override
    public String toString() {
        return line == 0 && path.isEmpty() ? file + ": " + message
                : file + ":" + line + ":" + column + ": " + path + ": " + message;
    }
}
