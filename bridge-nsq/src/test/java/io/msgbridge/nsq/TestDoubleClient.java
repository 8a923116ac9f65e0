package io.msgbridge.nsq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One client connection of the {@link NsqTestDouble}, speaking protocol V2 as nsqd does: a reader
 * thread executes commands, a writer thread sends frames from an unbounded queue (bounded in practice
 * by RDY), heartbeats are sent every interval and a client silent for two intervals is closed. Fatal
 * errors are sent and then the connection is closed; {@code E_FIN_FAILED}, {@code E_REQ_FAILED},
 * {@code E_TOUCH_FAILED} are not fatal.
 */
final class TestDoubleClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] CLOSE = new byte[0];

    private final NsqTestDouble server;
    private final TestDoubleTopics topics;
    private final Socket socket;
    private final LinkedBlockingQueue<byte[]> outbox = new LinkedBlockingQueue<>();
    private volatile Duration msgTimeout;
    private volatile Duration heartbeat = Duration.ofSeconds(30);
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile long lastHeartbeatNanos = System.nanoTime();
    private volatile boolean closed;
    private boolean identified;
    private boolean authenticated;
    private boolean closing;
    /** Guarded by the topics lock. */
    TestDoubleTopics.Channel channel;
    /** Guarded by the topics lock. */
    int inFlight;
    /** Guarded by the topics lock. */
    int rdy;

    TestDoubleClient(NsqTestDouble server, TestDoubleTopics topics, Socket socket) {
        this.server = server;
        this.topics = topics;
        this.socket = socket;
        this.msgTimeout = server.settings().msgTimeout();
    }

    void start() {
        Thread.ofPlatform().daemon().name("nsq-double-read-" + socket.getPort()).start(this::readLoop);
        Thread.ofPlatform().daemon().name("nsq-double-write-" + socket.getPort()).start(this::writeLoop);
    }

    Duration msgTimeout() {
        return msgTimeout;
    }

    /** Under the topics lock. */
    boolean readyForMore() {
        return !closed && !closing && inFlight < rdy;
    }

    void sendMessage(TestDoubleMessage m) {
        ByteBuffer data = ByteBuffer.allocate(NsqMessage.HEADER + m.body.length);
        data.putLong(m.timestampNanos).putShort((short) m.attempts).put(m.id.getBytes(StandardCharsets.US_ASCII)).put(m.body);
        outbox.add(frame(2, data.array()));
    }

    /** Heartbeats and the silence rule; called by the server's timer. */
    void tick(long now) {
        if (closed || heartbeat.isNegative()) {
            return;
        }
        if (now - lastHeardNanos > heartbeat.toNanos() * 2) {
            close();
        } else if (now - lastHeartbeatNanos >= heartbeat.toNanos()) {
            lastHeartbeatNanos = now;
            outbox.add(frame(0, Frame.HEARTBEAT.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    void close() {
        closed = true;
        outbox.add(CLOSE);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed anyway
        }
    }

    boolean isClosed() {
        return closed;
    }

    private void readLoop() {
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            byte[] magic = new byte[4];
            in.readFully(magic);
            if (!"  V2".equals(new String(magic, StandardCharsets.US_ASCII))) {
                fatal("E_BAD_PROTOCOL", "client sent an unknown protocol magic");
                return;
            }
            while (!closed) {
                String line = readLine(in);
                lastHeardNanos = System.nanoTime();
                execute(line.split(" "), in);
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or we closed it
        } finally {
            closed = true;
            outbox.add(CLOSE);
            topics.left(this);
            server.left(this);
        }
    }

    private static String readLine(DataInputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException();
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.US_ASCII);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private byte[] body(DataInputStream in, String command, long max) throws IOException {
        int size = in.readInt();
        if (size <= 0 || size > max) {
            fatal("E_BAD_BODY", command + " invalid body size " + size);
            return null;
        }
        byte[] body = new byte[size];
        in.readFully(body);
        return body;
    }

    private void execute(String[] args, DataInputStream in) throws IOException {
        String command = args[0];
        NsqTestDouble.Settings s = server.settings();
        if (s.authSecret() != null && !authenticated && !command.equals("IDENTIFY") && !command.equals("AUTH")) {
            fatal("E_AUTH_FIRST", "AUTH required before " + command);
            return;
        }
        switch (command) {
            case "IDENTIFY" -> identify(body(in, "IDENTIFY", s.maxBodySize()));
            case "AUTH" -> auth(body(in, "AUTH", s.maxBodySize()));
            case "SUB" -> sub(args);
            case "RDY" -> rdy(args);
            case "FIN" -> onMessageCommand(args, 2, "FIN", "E_FIN_FAILED", id -> topics.finish(this, id));
            case "REQ" -> req(args);
            case "TOUCH" -> onMessageCommand(args, 2, "TOUCH", "E_TOUCH_FAILED", id -> topics.touch(this, id, s.maxMsgTimeout()));
            case "PUB" -> pub(args, in, Duration.ZERO);
            case "DPUB" -> dpub(args, in);
            case "MPUB" -> mpub(args, in);
            case "NOP" -> { }
            case "CLS" -> cls();
            default -> fatal("E_INVALID", "invalid command " + command);
        }
    }

    private void identify(byte[] body) throws IOException {
        if (body == null) {
            return;
        }
        if (identified) {
            fatal("E_INVALID", "cannot IDENTIFY in current state");
            return;
        }
        identified = true;
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            fatal("E_BAD_BODY", "IDENTIFY failed to decode JSON body");
            return;
        }
        NsqTestDouble.Settings s = server.settings();
        long hb = request.path("heartbeat_interval").asLong(0);
        if (hb == -1) {
            heartbeat = Duration.ofMillis(-1);
        } else if (hb != 0) {
            if (hb < 1000 || hb > 60_000) {
                fatal("E_BAD_BODY", "IDENTIFY heartbeat interval (" + hb + ") is invalid");
                return;
            }
            heartbeat = Duration.ofMillis(hb);
        }
        long timeout = request.path("msg_timeout").asLong(0);
        if (timeout != 0) {
            if (timeout < 1000 || timeout > s.maxMsgTimeout().toMillis()) {
                fatal("E_BAD_BODY", "IDENTIFY msg timeout (" + timeout + ") is invalid");
                return;
            }
            msgTimeout = Duration.ofMillis(timeout);
        }
        if (!request.path("feature_negotiation").asBoolean(false)) {
            respond("OK");
            return;
        }
        ObjectNode response = JSON.createObjectNode();
        response.put("max_rdy_count", s.maxRdyCount());
        response.put("version", "1.3.0-testdouble");
        response.put("max_msg_timeout", s.maxMsgTimeout().toMillis());
        response.put("msg_timeout", msgTimeout.toMillis());
        response.put("tls_v1", false);
        response.put("deflate", false);
        response.put("deflate_level", 6);
        response.put("max_deflate_level", 6);
        response.put("snappy", false);
        response.put("sample_rate", 0);
        response.put("auth_required", s.authSecret() != null);
        response.put("output_buffer_size", request.path("output_buffer_size").asInt(16384));
        response.put("output_buffer_timeout", request.path("output_buffer_timeout").asInt(250));
        respond(JSON.writeValueAsString(response));
    }

    private void auth(byte[] body) throws IOException {
        if (body == null) {
            return;
        }
        String secret = server.settings().authSecret();
        if (secret == null) {
            fatal("E_AUTH_DISABLED", "AUTH disabled");
        } else if (!secret.equals(new String(body, StandardCharsets.UTF_8))) {
            fatal("E_AUTH_FAILED", "AUTH failed");
        } else {
            authenticated = true;
            respond("{\"identity\":\"test\",\"identity_url\":\"\",\"permission_count\":1}");
        }
    }

    private void sub(String[] args) {
        if (channel != null || closing) {
            fatal("E_INVALID", "cannot SUB in current state");
        } else if (args.length != 3) {
            fatal("E_INVALID", "SUB insufficient number of parameters");
        } else if (!NsqNames.valid(args[1])) {
            fatal("E_BAD_TOPIC", "SUB topic name \"" + args[1] + "\" is not valid");
        } else if (!NsqNames.valid(args[2])) {
            fatal("E_BAD_CHANNEL", "SUB channel name \"" + args[2] + "\" is not valid");
        } else {
            synchronized (topics) {
                channel = topics.channel(args[1], args[2]);
                topics.subscribe(this, args[1], args[2]);
            }
            respond("OK");
        }
    }

    private void rdy(String[] args) {
        if (closing) {
            return;
        }
        if (channel == null) {
            fatal("E_INVALID", "cannot RDY in current state");
            return;
        }
        int count;
        try {
            count = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        } catch (NumberFormatException e) {
            fatal("E_INVALID", "RDY could not parse count " + args[1]);
            return;
        }
        if (count < 0 || count > server.settings().maxRdyCount()) {
            fatal("E_INVALID", "RDY count " + count + " out of range 0-" + server.settings().maxRdyCount());
            return;
        }
        synchronized (topics) {
            rdy = count;
            server.rdySeen(count);
            topics.ready(this);
        }
    }

    private interface IdAction {
        boolean apply(String id);
    }

    private void onMessageCommand(String[] args, int length, String name, String failure, IdAction action) {
        if (channel == null) {
            fatal("E_INVALID", "cannot " + name + " in current state");
        } else if (args.length < length) {
            fatal("E_INVALID", name + " insufficient number of params");
        } else if (args[1].length() != 16) {
            fatal("E_INVALID", name + " invalid message ID");
        } else if (!action.apply(args[1])) {
            outbox.add(frame(1, (failure + " " + name + " " + args[1] + " failed").getBytes(StandardCharsets.UTF_8)));
        }
    }

    private void req(String[] args) {
        if (args.length < 3) {
            fatal("E_INVALID", "REQ insufficient number of params");
            return;
        }
        long ms;
        try {
            ms = Long.parseLong(args[2]);
        } catch (NumberFormatException e) {
            fatal("E_INVALID", "REQ could not parse timeout " + args[2]);
            return;
        }
        if (ms < 0 || ms > server.settings().maxReqTimeout().toMillis()) {
            fatal("E_INVALID", "REQ timeout " + ms + " out of range 0-" + server.settings().maxReqTimeout().toMillis());
            return;
        }
        onMessageCommand(args, 3, "REQ", "E_REQ_FAILED", id -> topics.requeue(this, id, Duration.ofMillis(ms)));
    }

    private void cls() {
        if (channel == null || closing) {
            fatal("E_INVALID", "cannot CLS in current state");
            return;
        }
        synchronized (topics) {
            closing = true;
        }
        respond("CLOSE_WAIT");
    }

    private boolean validTopic(String[] args, String name, int length) {
        if (args.length < length) {
            fatal("E_INVALID", name + " insufficient number of parameters");
            return false;
        }
        if (!NsqNames.valid(args[1])) {
            fatal("E_BAD_TOPIC", name + " topic name \"" + args[1] + "\" is not valid");
            return false;
        }
        return true;
    }

    private void pub(String[] args, DataInputStream in, Duration defer) throws IOException {
        String name = defer.isZero() && args[0].equals("PUB") ? "PUB" : "DPUB";
        int size = in.readInt();
        NsqTestDouble.Settings s = server.settings();
        if (size <= 0 || size > s.maxMsgSize()) {
            fatal("E_BAD_MESSAGE", name + " invalid message body size " + size);
            return;
        }
        byte[] body = new byte[size];
        in.readFully(body);
        if (!validTopic(args, name, 2)) {
            return;
        }
        if (server.failPublishes()) {
            fatal("E_" + name + "_FAILED", name + " failed exiting");
            return;
        }
        topics.publish(args[1], List.of(body), defer);
        respond("OK");
    }

    private void dpub(String[] args, DataInputStream in) throws IOException {
        long ms;
        try {
            ms = Long.parseLong(args.length > 2 ? args[2] : "x");
        } catch (NumberFormatException e) {
            fatal("E_INVALID", "DPUB could not parse timeout");
            return;
        }
        if (ms < 0 || ms > server.settings().maxReqTimeout().toMillis()) {
            fatal("E_INVALID", "DPUB timeout " + ms + " out of range");
            return;
        }
        pub(args, in, Duration.ofMillis(ms));
    }

    private void mpub(String[] args, DataInputStream in) throws IOException {
        NsqTestDouble.Settings s = server.settings();
        byte[] body = body(in, "MPUB", s.maxBodySize());
        if (body == null || !validTopic(args, "MPUB", 2)) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.wrap(body);
        int count = buffer.getInt();
        if (count <= 0) {
            fatal("E_BAD_BODY", "MPUB invalid message count " + count);
            return;
        }
        List<byte[]> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (buffer.remaining() < 4) {
                fatal("E_BAD_BODY", "MPUB failed to read message body size");
                return;
            }
            int size = buffer.getInt();
            if (size <= 0 || size > s.maxMsgSize() || size > buffer.remaining()) {
                fatal("E_BAD_MESSAGE", "MPUB invalid message body size " + size);
                return;
            }
            byte[] m = new byte[size];
            buffer.get(m);
            messages.add(m);
        }
        if (server.failPublishes()) {
            fatal("E_MPUB_FAILED", "MPUB failed exiting");
            return;
        }
        topics.publish(args[1], messages, Duration.ZERO);
        respond("OK");
    }

    private void respond(String text) {
        outbox.add(frame(0, text.getBytes(StandardCharsets.UTF_8)));
    }

    private void fatal(String code, String description) {
        outbox.add(frame(1, (code + " " + description).getBytes(StandardCharsets.UTF_8)));
        outbox.add(CLOSE);
        closed = true;
    }

    private static byte[] frame(int type, byte[] data) {
        return ByteBuffer.allocate(8 + data.length).putInt(4 + data.length).putInt(type).put(data).array();
    }

    private void writeLoop() {
        try {
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            while (true) {
                byte[] frame = outbox.take();
                if (frame == CLOSE) {
                    out.flush();
                    break;
                }
                out.write(frame);
                if (outbox.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed anyway
            }
        }
    }
}
