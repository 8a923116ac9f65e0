package io.msgbridge.nsq;

import java.nio.charset.StandardCharsets;

/**
 * One frame from nsqd: {@code int32 size | int32 type | data}.
 *
 * @param type    response, error or message
 * @param data    the frame's data, without size and type; null for a message, which is in {@code message}
 * @param message a message frame, decoded; null for the other types
 */
record Frame(Type type, byte[] data, NsqMessage message) {
    static final String HEARTBEAT = "_heartbeat_";

    /** The frame types of protocol V2. */
    enum Type {
        RESPONSE, ERROR, MESSAGE;

        static Type of(int code) {
            return switch (code) {
                case 0 -> RESPONSE;
                case 1 -> ERROR;
                case 2 -> MESSAGE;
                default -> throw new IllegalArgumentException("unknown frame type " + code);
            };
        }
    }

    /** A response or error frame. */
    Frame(Type type, byte[] data) {
        this(type, data, null);
    }

    String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    boolean isHeartbeat() {
        return type == Type.RESPONSE && HEARTBEAT.equals(text());
    }
}
