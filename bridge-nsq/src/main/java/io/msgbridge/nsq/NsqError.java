package io.msgbridge.nsq;

import java.util.Set;

/**
 * An error frame: {@code E_CODE description}.
 *
 * @param code        e.g. {@code E_BAD_MESSAGE}
 * @param description the rest of the frame
 */
record NsqError(String code, String description) {
    private static final Set<String> NON_FATAL = Set.of("E_FIN_FAILED", "E_REQ_FAILED", "E_TOUCH_FAILED");

    static NsqError parse(String text) {
        int space = text.indexOf(' ');
        return space < 0 ? new NsqError(text, "") : new NsqError(text.substring(0, space), text.substring(space + 1));
    }

    /** Whether nsqd closes the connection after sending it (every error but FIN/REQ/TOUCH failures). */
    boolean fatal() {
        return !NON_FATAL.contains(code);
    }

    @Override
    public String toString() {
        return description.isEmpty() ? code : code + " " + description;
    }
}
