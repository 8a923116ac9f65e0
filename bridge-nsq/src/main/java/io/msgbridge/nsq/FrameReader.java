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

    /**
     * Blocks for the next frame; throws {@link java.io.EOFException} when the server closed the
     * connection. A message's body is read straight into its own array, not copied out of the frame's.
     */
    Frame next() throws IOException {
        int size = in.readInt();
        if (size < 4 || size > MAX_FRAME) {
            throw new IOException("invalid frame size " + size + " from nsqd");
        }
        int type = in.readInt();
        try {
            Frame.Type frameType = Frame.Type.of(type);
            if (frameType == Frame.Type.MESSAGE) {
                return new Frame(frameType, null, message(size - 4));
            }
            byte[] data = new byte[size - 4];
            in.readFully(data);
            return new Frame(frameType, data);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private NsqMessage message(int length) throws IOException {
        if (length < NsqMessage.HEADER) {
            throw new IOException("message frame of " + length + " bytes from nsqd is shorter than its header");
        }
        long nanos = in.readLong();
        int attempts = in.readUnsignedShort();
        byte[] id = new byte[NsqMessage.ID_LENGTH];
        in.readFully(id);
        byte[] body = new byte[length - NsqMessage.HEADER];
        in.readFully(body);
        return NsqMessage.of(nanos, attempts, id, body);
    }
}
