package io.msgbridge.nats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Publishes over a bare socket what a NATS client library would refuse to send: a header block with a
 * name holding a space or a value holding UTF-8, which nats-server accepts and stores as it is.
 */
public final class RawNats {
    private RawNats() {
    }

    /**
     * {@code HPUB subject} with {@code headerBlock} (e.g. {@code "NATS/1.0\r\nBad Header: x\r\n\r\n"} in
     * UTF-8) and {@code payload}; returns once the server has processed it (a PING answered).
     */
    public static void hpub(String url, String subject, byte[] headerBlock, byte[] payload) throws IOException {
        URI uri = URI.create(url);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            readLine(in);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.writeBytes(ascii("CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"protocol\":1}\r\n"));
            frame.writeBytes(ascii("HPUB " + subject + " " + headerBlock.length + " " + (headerBlock.length + payload.length) + "\r\n"));
            frame.writeBytes(headerBlock);
            frame.writeBytes(payload);
            frame.writeBytes(ascii("\r\nPING\r\n"));
            out.write(frame.toByteArray());
            out.flush();
            for (String line = readLine(in); !line.equals("PONG"); line = readLine(in)) {
                if (line.startsWith("-ERR")) {
                    throw new IOException("nats-server refused the raw publish: " + line);
                }
            }
        }
    }

    /** A header block of {@code lines} (each {@code Name: value}), in UTF-8. */
    public static byte[] headers(String... lines) {
        return ("NATS/1.0\r\n" + String.join("", java.util.Arrays.stream(lines).map(l -> l + "\r\n").toList()) + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("nats-server closed the connection after: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
