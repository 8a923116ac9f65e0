package io.msgbridge.config;

/** The outcome of converting one scalar: a value, or why the text was rejected. */
sealed interface Parsed<T> {

    record Ok<T>(T value) implements Parsed<T> {
    }

    /**
     * A rejected value; the problem reads {@code LEAD "VALUE"REST}, with the value shown only when it
     * may be (never one read from a file).
     *
     * @param lead what is wrong, e.g. {@code invalid value}, {@code unknown connection}
     * @param rest what is allowed, with its separator, e.g. {@code : must be true or false}
     */
    record Invalid<T>(String lead, String rest) implements Parsed<T> {
        String message(String shownValue) {
            return lead + " " + shownValue + rest;
        }
    }

    static <T> Parsed<T> ok(T value) {
        return new Ok<>(value);
    }

    /** {@code invalid value "VALUE": RULE}; {@code rule} says what is allowed, e.g. {@code must be true or false}. */
    static <T> Parsed<T> invalid(String rule) {
        return new Invalid<>("invalid value", ": " + rule);
    }

    /** {@code LEAD "VALUE"REST}, e.g. {@code unknown connection "nast"; defined: legacy, local}. */
    static <T> Parsed<T> rejected(String lead, String rest) {
        return new Invalid<>(lead, rest);
    }
}
