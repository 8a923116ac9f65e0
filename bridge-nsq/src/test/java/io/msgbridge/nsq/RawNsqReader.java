package io.msgbridge.nsq;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal consumer written straight on the wire protocol, independent of the client under test but
 * for its frame reader: {@code SUB}, {@code RDY 100}, {@code FIN} each message, {@code NOP} each
 * heartbeat. For reading back what a sink wrote.
 */
public final class RawNsqReader implements AutoCloseable {
    /** A message as received: its id, nsqd's attempts count, and its body. */
    public record Received(String id, int attempts, byte[] body) {
    }

    private final Socket socket;
    private final FrameReader frames;
    private final OutputStream out;

    public RawNsqReader(NsqBroker broker, String topic, String channel) throws IOException {
        NsqAddress address = broker.address();
        socket = new Socket(address.host(), address.port());
        frames = new FrameReader(new BufferedInputStream(socket.getInputStream()));
        out = socket.getOutputStream();
        out.write("  V2".getBytes(StandardCharsets.US_ASCII));
        write("SUB " + topic + " " + channel + "\n");
        Frame ok = frame();
        if (!"OK".equals(ok.text())) {
            throw new IOException("SUB answered " + ok.text());
        }
        write("RDY 100\n");
    }

    /** The body and attempts of each message received, until {@code count} arrived or {@code timeout} passed. */
    public List<Received> read(int count, Duration timeout) throws IOException {
        List<Received> messages = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messages.size() < count && System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, Math.min(200, (deadline - System.nanoTime()) / 1_000_000)));
            Frame f;
            try {
                f = frame();
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (f.isHeartbeat()) {
                write("NOP\n");
            } else if (f.type() == Frame.Type.MESSAGE) {
                NsqMessage m = f.message();
                messages.add(new Received(m.id(), m.attempts(), m.body()));
                write("FIN " + m.id() + "\n");
            } else if (f.type() == Frame.Type.ERROR) {
                throw new IOException("nsqd sent " + f.text());
            }
        }
        return messages;
    }

    private Frame frame() throws IOException {
        return frames.next();
    }

    private void write(String command) throws IOException {
        out.write(command.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Writes raw bytes (a command line, or a line and body) for protocol tests. */
    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next non-heartbeat frame's text, as {@code TYPE:text}, or null when the connection closed. */
    public String nextReply(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout(200);
            try {
                Frame f = frame();
                if (!f.isHeartbeat()) {
                    return f.type() + ":" + (f.type() == Frame.Type.MESSAGE ? f.message().id() : f.text());
                }
                write("NOP\n");
            } catch (SocketTimeoutException e) {
                // keep waiting
            } catch (java.io.EOFException | java.net.SocketException e) {
                return null;
            }
        }
        throw new AssertionError("no reply within " + timeout);
    }

    static byte[] sized(String line, byte[] body) {
        return ByteBuffer.allocate(line.length() + 4 + body.length).put(line.getBytes(StandardCharsets.US_ASCII))
                .putInt(body.length).put(body).array();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
