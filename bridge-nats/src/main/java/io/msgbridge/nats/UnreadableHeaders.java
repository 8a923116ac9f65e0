package io.msgbridge.nats;

import io.nats.client.Message;
import io.nats.client.support.IncomingHeadersProcessor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Header blocks that jnats cannot parse, and what {@link InboundHeaderGuard} hands jnats instead.
 *
 * <p>The replacement block keeps every line of the original that jnats can parse on its own (the key
 * header, {@code Nats-Msg-Id}, the server's {@code Nats-Sequence} of a direct get), and adds two headers:
 * <ul>
 *   <li>{@value #RAW_HEADER}: the original block exactly as received, from {@code NATS/1.0} to the
 *       closing blank line, percent-encoded: every byte outside printable ASCII, and {@code %} itself,
 *       as {@code %XX} (so {@code City: Zürich} reads {@code City: Z%C3%BCrich%0D%0A});</li>
 *   <li>{@value #MARKER_HEADER}: a token known only to this process, then why jnats refused the block. A
 *       message that merely carries a header of that name (a dead letter read back, say) is not taken
 *       for an unreadable one.</li>
 * </ul>
 */
final class UnreadableHeaders {
    static final String RAW_HEADER = "bridge.raw-headers";
    static final String MARKER_HEADER = "bridge.unreadable";

    private static final String TOKEN = newToken();
    private static final byte[] VERSION_LINE = "NATS/1.0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private UnreadableHeaders() {
    }

    private static String newToken() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Why jnats cannot parse the first {@code length} bytes of {@code block} as a header block, or null
     * when it can. Plain ASCII {@code Name:value} lines are recognised without jnats; anything else is
     * put to jnats' own parser, the one its reader uses.
     */
    static String problem(byte[] block, int length) {
        if (plain(block, length)) {
            return null;
        }
        byte[] exact = length == block.length ? block : java.util.Arrays.copyOf(block, length);
        try {
            new IncomingHeadersProcessor(exact);
            return null;
        } catch (RuntimeException e) {
            return String.valueOf(e.getMessage());
        }
    }

    /**
     * A version line without status, then lines of a name of printable ASCII without {@code :}, a
     * {@code :}, and a value of printable ASCII or tabs, each ending in CR LF, then a blank line: jnats
     * reads every such block.
     */
    private static boolean plain(byte[] b, int length) {
        int end = length - 2;
        if (length < VERSION_LINE.length + 2 || b[end] != '\r' || b[end + 1] != '\n') {
            return false;
        }
        for (int i = 0; i < VERSION_LINE.length; i++) {
            if (b[i] != VERSION_LINE[i]) {
                return false;
            }
        }
        int at = VERSION_LINE.length;
        while (at < end) {
            int colon = -1;
            int i = at;
            while (i < end && b[i] != '\r') {
                byte c = b[i];
                if (colon < 0) {
                    if (c == ':') {
                        colon = i;
                    } else if (c < 33 || c > 126) {
                        return false;
                    }
                } else if ((c < 32 && c != '\t') || c > 126) {
                    return false;
                }
                i++;
            }
            if (colon <= at || i >= end || b[i + 1] != '\n') {
                return false;
            }
            at = i + 2;
        }
        return true;
    }

    /** The block jnats gets instead of {@code block}, which it could not parse for {@code problem}. */
    static byte[] replacement(byte[] block, String problem) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(VERSION_LINE.length + block.length * 3 + 96);
        out.writeBytes(VERSION_LINE);
        int lineStart = indexOfCrLf(block, 0);
        while (lineStart >= 0 && lineStart + 2 < block.length) {
            int from = lineStart + 2;
            int to = indexOfCrLf(block, from);
            int lineEnd = to < 0 ? block.length : to;
            if (lineEnd > from && keepable(block, from, lineEnd)) {
                out.write(block, from, lineEnd - from);
                out.write('\r');
                out.write('\n');
            }
            lineStart = to;
        }
        writeHeader(out, MARKER_HEADER, TOKEN + " " + encode(problem.getBytes(StandardCharsets.UTF_8)));
        writeHeader(out, RAW_HEADER, encode(block));
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    /** Whether one line of an unreadable block can stay: jnats reads it alone, and it is not one of ours. */
    private static boolean keepable(byte[] block, int from, int to) {
        byte[] single = new byte[VERSION_LINE.length + (to - from) + 4];
        System.arraycopy(VERSION_LINE, 0, single, 0, VERSION_LINE.length);
        System.arraycopy(block, from, single, VERSION_LINE.length, to - from);
        single[single.length - 4] = '\r';
        single[single.length - 3] = '\n';
        single[single.length - 2] = '\r';
        single[single.length - 1] = '\n';
        if (problem(single, single.length) != null) {
            return false;
        }
        String line = new String(block, from, to - from, StandardCharsets.US_ASCII);
        String name = line.substring(0, Math.max(0, line.indexOf(':'))).trim().toLowerCase(Locale.ROOT);
        return !name.equals(MARKER_HEADER) && !name.equals(RAW_HEADER);
    }

    private static int indexOfCrLf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void writeHeader(ByteArrayOutputStream out, String name, String value) {
        out.writeBytes((name + ": " + value + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Printable ASCII stays, except {@code %}; every other byte becomes {@code %XX}. */
    static String encode(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '%') {
                s.append((char) c);
            } else {
                s.append('%').append((char) HEX[c >> 4]).append((char) HEX[c & 0xf]);
            }
        }
        return s.toString();
    }

    /**
     * Why the guard replaced this message's header block (what jnats said about the original), or null
     * for a message that arrived as sent.
     */
    static String reason(Message message) {
        if (!message.hasHeaders()) {
            return null;
        }
        String marker = message.getHeaders().getFirst(MARKER_HEADER);
        if (marker == null || !marker.startsWith(TOKEN + " ")) {
            return null;
        }
        return marker.substring(TOKEN.length() + 1);
    }

    /** Whether a header of a message the guard replaced is its marker, which records do not carry on. */
    static boolean isMarker(String name, String value) {
        return name.equals(MARKER_HEADER) && value.startsWith(TOKEN + " ");
    }
}
