package io.msgbridge.nats;

import io.msgbridge.spi.PermanentException;
import io.nats.client.impl.Headers;
import io.nats.client.support.ByteArrayBuilder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The headers of an outgoing message, written once into NATS's wire form ({@code NATS/1.0\r\n}, one
 * {@code Name:value\r\n} per value in the order added, {@code \r\n}) and handed to jnats as its
 * {@link Headers}.
 *
 * <p>Why not jnats' own: it keeps two hash maps and a list per name, checks every character on each
 * add, and when the message is published copies both maps into a read-only twin before it writes the
 * same bytes as here. For a record with four or five headers (the key, the event time, the
 * {@code Nats-Msg-Id}, what the source carried) that was the largest single cost the bridge had beyond
 * the plain client loop in the NSQ → JetStream benchmark (docs/benchmark-history.md).
 *
 * <p>How it fits: jnats (2.26) asks a message's headers only {@link #isEmpty()}, {@link #isReadOnly()},
 * {@link #serializedLength()} and {@link #serializeToArray} when it publishes one, and sends headers that
 * are read-only as they are; those are answered from the bytes. The superclass is constructed read-only and
 * empty, so its mutators throw as on the read-only copy jnats would have made; every read answers from a
 * jnats {@code Headers} built on first use. Names and values are checked by jnats' rules (a name is
 * printable ASCII without {@code :}, a value ASCII without CR or LF); a header that breaks them fails the
 * record with a {@link PermanentException} naming it.
 *
 * <p>This class is the only one that depends on how jnats treats a {@code Headers} inside: the rest of the
 * backend hands jnats the {@code Headers} that {@link Builder#build()} returns. {@code WireHeadersTest}
 * holds the bytes to what jnats writes; {@code JnatsHeadersContractTest} fails, naming what changed, when a
 * jnats upgrade adds a public method to {@code Headers} that this class does not answer, or no longer
 * publishes read-only headers as they are.
 */
final class WireHeaders extends Headers {
    private static final byte[] VERSION_LINE = "NATS/1.0\r\n".getBytes(StandardCharsets.US_ASCII);

    private final String[] namesAndValues;
    private final byte[] wire;
    private Headers parsed;

    private WireHeaders(String[] namesAndValues, byte[] wire) {
        super(null, true);
        this.namesAndValues = namesAndValues;
        this.wire = wire;
    }

    /** Collects headers in order; not thread-safe. */
    static final class Builder {
        private String[] namesAndValues = new String[12];
        private int used;
        private int length = VERSION_LINE.length + 2;

        /** Adds one value of {@code name}; a name may be added more than once. */
        Builder add(String name, String value) {
            if (used == namesAndValues.length) {
                namesAndValues = Arrays.copyOf(namesAndValues, used * 2);
            }
            namesAndValues[used++] = name;
            namesAndValues[used++] = value;
            length += name.length() + value.length() + 3;
            return this;
        }

        /** Whether {@code name} was added. */
        boolean has(String name) {
            for (int i = 0; i < used; i += 2) {
                if (namesAndValues[i].equals(name)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The headers, or null when none were added (jnats then sends the message without headers).
         *
         * @throws PermanentException when a name or value cannot be sent as a NATS header
         */
        Headers build() {
            if (used == 0) {
                return null;
            }
            byte[] wire = new byte[length];
            System.arraycopy(VERSION_LINE, 0, wire, 0, VERSION_LINE.length);
            int at = VERSION_LINE.length;
            for (int i = 0; i < used; i += 2) {
                at = writeName(namesAndValues[i], wire, at);
                wire[at++] = ':';
                at = writeValue(namesAndValues[i], namesAndValues[i + 1], wire, at);
                wire[at++] = '\r';
                wire[at++] = '\n';
            }
            wire[at++] = '\r';
            wire[at] = '\n';
            return new WireHeaders(Arrays.copyOf(namesAndValues, used), wire);
        }

        private static int writeName(String name, byte[] wire, int at) {
            if (name.isEmpty()) {
                throw new PermanentException("a header with an empty name cannot be sent to NATS");
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c < 33 || c > 126 || c == ':') {
                    throw new PermanentException("header name \"" + name + "\" cannot be sent to NATS: a name is printable ASCII"
                            + " without ':' (character " + (int) c + " at " + i + ")");
                }
                wire[at++] = (byte) c;
            }
            return at;
        }

        private static int writeValue(String name, String value, byte[] wire, int at) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c > 127 || c == '\r' || c == '\n') {
                    throw new PermanentException("the value of header \"" + name + "\" cannot be sent to NATS: a value is ASCII"
                            + " without CR or LF (character " + (int) c + " at " + i + ")");
                }
                wire[at++] = (byte) c;
            }
            return at;
        }
    }

    private Headers parsed() {
        if (parsed == null) {
            Headers headers = new Headers();
            for (int i = 0; i < namesAndValues.length; i += 2) {
                headers.add(namesAndValues[i], namesAndValues[i + 1]);
            }
            parsed = new Headers(headers, true);
        }
        return parsed;
    }

    @Override
    public boolean isEmpty() {
        return false;
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    /** The bytes are written once and never change, so there is nothing to serialize again. */
    @Override
    public boolean isDirty() {
        return false;
    }

    @Override
    public int serializedLength() {
        return wire.length;
    }

    @Override
    public byte[] getSerialized() {
        return wire;
    }

    @Override
    public int serializeToArray(int destPosition, byte[] dest) {
        System.arraycopy(wire, 0, dest, destPosition, wire.length);
        return wire.length;
    }

    @Deprecated
    @Override
    public ByteArrayBuilder appendSerialized(ByteArrayBuilder bab) {
        return bab.append(wire);
    }

    @Override
    public int size() {
        return parsed().size();
    }

    @Override
    public boolean containsKey(String key) {
        return parsed().containsKey(key);
    }

    @Override
    public boolean containsKeyIgnoreCase(String key) {
        return parsed().containsKeyIgnoreCase(key);
    }

    @Override
    public Set<String> keySet() {
        return parsed().keySet();
    }

    @Override
    public Set<String> keySetIgnoreCase() {
        return parsed().keySetIgnoreCase();
    }

    @Override
    public List<String> get(String key) {
        return parsed().get(key);
    }

    @Override
    public String getFirst(String key) {
        return parsed().getFirst(key);
    }

    @Override
    public String getLast(String key) {
        return parsed().getLast(key);
    }

    @Override
    public List<String> getIgnoreCase(String key) {
        return parsed().getIgnoreCase(key);
    }

    @Override
    public void forEach(BiConsumer<String, List<String>> action) {
        parsed().forEach(action);
    }

    @Override
    public Set<Map.Entry<String, List<String>>> entrySet() {
        return parsed().entrySet();
    }

    @Override
    public Map<String, List<String>> toMap() {
        return parsed().toMap();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers other && parsed().equals(other instanceof WireHeaders w ? w.parsed() : other);
    }

    @Override
    public int hashCode() {
        return parsed().hashCode();
    }

    @Override
    public String toString() {
        return parsed().toString();
    }
}
