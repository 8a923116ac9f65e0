package io.msgbridge.deadletter;

/** Text as PostgreSQL can store it: without NUL characters (replaced by U+FFFD). */
final class PostgresText {
    private PostgresText() {
    }

    static String clean(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }
}
