package io.msgbridge.daemon;

/** The daemon's exit codes. */
final class ExitCodes {
    static final int OK = 0;
    static final int RUNTIME = 1;
    static final int INVALID = 2;

    private ExitCodes() {
    }
}
