package io.msgbridge.nsq;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Encodes protocol V2 commands: an ASCII line, then for some a 4-byte big-endian size and a body. */
final class Commands {
    static final byte[] MAGIC_V2 = "  V2".getBytes(StandardCharsets.US_ASCII);
    static final byte[] NOP = line("NOP");
    static final byte[] CLS = line("CLS");

    private Commands() {
    }

    static byte[] identify(byte[] json) {
        return withBody("IDENTIFY", json);
    }

    static byte[] auth(byte[] secret) {
        return withBody("AUTH", secret);
    }

    static byte[] sub(String topic, String channel) {
        return line("SUB " + topic + " " + channel);
    }

    static byte[] rdy(int count) {
        return line("RDY " + count);
    }

    static byte[] fin(String id) {
        return line("FIN " + id);
    }

    static byte[] req(String id, Duration delay) {
        return line("REQ " + id + " " + delay.toMillis());
    }

    static byte[] touch(String id) {
        return line("TOUCH " + id);
    }

    static byte[] pub(String topic, byte[] body) {
        return withBody("PUB " + topic, body);
    }

    static byte[] dpub(String topic, Duration defer, byte[] body) {
        return withBody("DPUB " + topic + " " + defer.toMillis(), body);
    }

    /** {@code MPUB topic}, body = {@code int32 count} then {@code int32 size + bytes} each; the size counts the count field. */
    static byte[] mpub(String topic, List<byte[]> bodies) {
        int size = 4;
        for (byte[] b : bodies) {
            size += 4 + b.length;
        }
        ByteBuffer body = ByteBuffer.allocate(size);
        body.putInt(bodies.size());
        for (byte[] b : bodies) {
            body.putInt(b.length).put(b);
        }
        return withBody("MPUB " + topic, body.array());
    }

    /** The size of an MPUB body of these messages, as nsqd measures it against max-body-size. */
    static long mpubBodySize(long messages, long payloadBytes) {
        return 4 + 4 * messages + payloadBytes;
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] withBody(String command, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(command.length() + 5 + body.length);
        out.writeBytes(line(command));
        out.writeBytes(ByteBuffer.allocate(4).putInt(body.length).array());
        out.writeBytes(body);
        return out.toByteArray();
    }
}
