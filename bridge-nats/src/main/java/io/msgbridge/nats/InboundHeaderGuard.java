package io.msgbridge.nats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Sits between the socket and jnats' reader and passes the server's bytes on unchanged, except a
 * message whose header block jnats cannot parse: that one reaches jnats with a header block it can
 * parse ({@link UnreadableHeaders#replacement}), and with the sizes in its {@code HMSG} line to match.
 *
 * <p>Why: jnats (2.26) parses a message's headers on its reader thread and rejects a name with a space
 * or a value with a byte above 127 with an {@code IllegalArgumentException} that nothing catches. The
 * reader thread ends, the connection still reports itself connected, and from then on nothing more is
 * read on it: a JetStream source waits for ever on that message, a core source silently loses every
 * later one. Another client can publish such headers ({@code City: Zürich}, {@code Bad Header: x})
 * with a plain {@code HPUB}; nats-server accepts and stores them.
 *
 * <p>The protocol from server to client is lines ({@code INFO}, {@code PING}, {@code PONG},
 * {@code +OK}, {@code -ERR}) and messages: {@code MSG subject sid [reply] size} or
 * {@code HMSG subject sid [reply] header-size total-size}, a CRLF, that many bytes, a CRLF. Lines and
 * header blocks are collected and checked; payloads are copied through as they come. Not thread-safe:
 * one reader thread calls {@link #read}.
 */
final class InboundHeaderGuard {

    /** Where the bytes come from: the socket. */
    @FunctionalInterface
    interface Input {
        int read(byte[] dst, int off, int len) throws IOException;
    }

    private enum State { LINE, HEADERS, PAYLOAD }

    private static final int CRLF = 2;

    private final byte[] in;
    private int inPos;
    private int inEnd;
    private byte[] out = new byte[512];
    private int outPos;
    private int outEnd;
    private State state = State.LINE;
    private byte[] line = new byte[256];
    private int lineLen;
    private byte[] headers = new byte[0];
    private int headersLen;
    private int headersWanted;
    private int payloadWanted;
    private long payloadLeft;

    InboundHeaderGuard(int bufferSize) {
        this.in = new byte[bufferSize];
    }

    /**
     * Fills {@code dst} with what jnats should read, reading from {@code input} as needed. Returns the
     * number of bytes given (at least one), or -1 when the input has ended.
     */
    int read(byte[] dst, int off, int len, Input input) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (outPos < outEnd) {
                int n = Math.min(len, outEnd - outPos);
                System.arraycopy(out, outPos, dst, off, n);
                outPos += n;
                return n;
            }
            if (inPos == inEnd) {
                int r = input.read(in, 0, in.length);
                if (r < 0) {
                    return r;
                }
                inPos = 0;
                inEnd = r;
                continue;
            }
            if (state == State.PAYLOAD) {
                int n = (int) Math.min(Math.min(len, inEnd - inPos), payloadLeft);
                System.arraycopy(in, inPos, dst, off, n);
                inPos += n;
                payloadLeft -= n;
                if (payloadLeft == 0) {
                    state = State.LINE;
                }
                return n;
            }
            if (state == State.LINE) {
                collectLine();
            } else {
                collectHeaders();
            }
        }
    }

    private void collectLine() {
        int at = inPos;
        while (at < inEnd && in[at] != '\n') {
            at++;
        }
        boolean complete = at < inEnd;
        int end = complete ? at + 1 : at;
        appendToLine(in, inPos, end - inPos);
        inPos = end;
        if (complete) {
            lineDone();
        }
    }

    private void lineDone() {
        if (operationIs("HMSG")) {
            int[] sizes = lastNumbers(2);
            if (sizes != null && sizes[0] <= sizes[1]) {
                headersWanted = sizes[0];
                payloadWanted = sizes[1] - sizes[0];
                headersLen = 0;
                if (headers.length < headersWanted) {
                    headers = new byte[headersWanted];
                }
                state = headersWanted == 0 ? headersDone() : State.HEADERS;
                return;
            }
        } else if (operationIs("MSG")) {
            int[] size = lastNumbers(1);
            if (size != null) {
                emit(line, 0, lineLen);
                lineLen = 0;
                payloadLeft = (long) size[0] + CRLF;
                state = State.PAYLOAD;
                return;
            }
        }
        // Anything else, or a message line that does not parse, goes to jnats as it is: jnats reports it.
        emit(line, 0, lineLen);
        lineLen = 0;
    }

    private void collectHeaders() {
        int n = Math.min(headersWanted - headersLen, inEnd - inPos);
        System.arraycopy(in, inPos, headers, headersLen, n);
        headersLen += n;
        inPos += n;
        if (headersLen == headersWanted) {
            state = headersDone();
        }
    }

    private State headersDone() {
        String problem = UnreadableHeaders.problem(headers, headersLen);
        if (problem == null) {
            emit(line, 0, lineLen);
            emit(headers, 0, headersLen);
        } else {
            byte[] replacement = UnreadableHeaders.replacement(Arrays.copyOf(headers, headersLen), problem);
            byte[] rewritten = withSizes(replacement.length, replacement.length + payloadWanted);
            emit(rewritten, 0, rewritten.length);
            emit(replacement, 0, replacement.length);
        }
        lineLen = 0;
        payloadLeft = (long) payloadWanted + CRLF;
        return State.PAYLOAD;
    }

    /** The collected HMSG line with its last two numbers replaced. */
    private byte[] withSizes(int headerSize, int totalSize) {
        int end = contentEnd();
        int cut = end;
        for (int field = 0; field < 2; field++) {
            while (cut > 0 && isSpace(line[cut - 1])) {
                cut--;
            }
            while (cut > 0 && !isSpace(line[cut - 1])) {
                cut--;
            }
        }
        byte[] sizes = (headerSize + " " + totalSize + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] result = Arrays.copyOf(line, cut + sizes.length);
        System.arraycopy(sizes, 0, result, cut, sizes.length);
        return result;
    }

    /** Whether the collected line's first token is {@code op} (upper case ASCII), ignoring case as jnats does. */
    private boolean operationIs(String op) {
        int n = op.length();
        if (lineLen <= n || !isSpace(line[n])) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if ((line[i] & ~0x20) != op.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The last {@code count} tokens of the collected line as numbers, in line order; null when they are not. */
    private int[] lastNumbers(int count) {
        int[] numbers = new int[count];
        int at = contentEnd();
        for (int i = count - 1; i >= 0; i--) {
            while (at > 0 && isSpace(line[at - 1])) {
                at--;
            }
            long value = 0;
            long scale = 1;
            int digits = 0;
            while (at > 0 && !isSpace(line[at - 1])) {
                byte b = line[at - 1];
                if (b < '0' || b > '9' || digits == 10) {
                    return null;
                }
                value += (b - '0') * scale;
                scale *= 10;
                digits++;
                at--;
            }
            if (digits == 0 || value > Integer.MAX_VALUE) {
                return null;
            }
            numbers[i] = (int) value;
        }
        return numbers;
    }

    /** The collected line's length without its CR LF. */
    private int contentEnd() {
        int end = lineLen;
        while (end > 0 && (line[end - 1] == '\n' || line[end - 1] == '\r')) {
            end--;
        }
        return end;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }

    private void appendToLine(byte[] src, int from, int n) {
        if (lineLen + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLen + n));
        }
        System.arraycopy(src, from, line, lineLen, n);
        lineLen += n;
    }

    private void emit(byte[] src, int from, int n) {
        if (outPos == outEnd) {
            outPos = 0;
            outEnd = 0;
        }
        if (outEnd + n > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outEnd + n));
        }
        System.arraycopy(src, from, out, outEnd, n);
        outEnd += n;
    }
}
