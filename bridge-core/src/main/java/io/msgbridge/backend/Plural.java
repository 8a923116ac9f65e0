package io.msgbridge.backend;

/** A count with its noun for messages and logs: {@code 1 pipeline}, {@code 2 pipelines}. */
public final class Plural {
    private Plural() {
    }

    /** {@code n} and {@code noun}, with an {@code s} unless {@code n} is 1. */
    public static String of(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }
}
