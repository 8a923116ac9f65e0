package io.msgbridge.nsq;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads frames from an nsqd connection. Not thread-safe: one reader thread owns it. */
final class FrameReader {
    /** Larger than any frame nsqd sends with its default limits (max-msg-size 1 MiB plus header). */
    static final int MAX_FRAME = 64 * 1024 * 1024;

    private final DataInputStream in;

    FrameReader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** Blocks for the next frame; throws {@link java.io.EOFException} when the server closed the connection. */
    Frame next() throws IOException {
        int size = in.readInt();
        if (size < 4 || size > MAX_FRAME) {
            throw new IOException("invalid frame size " + size + " from nsqd");
        }
        int type = in.readInt();
        byte[] data = new byte[size - 4];
        in.readFully(data);
        try {
            return new Frame(Frame.Type.of(type), data);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
