package io.msgbridge.nats;

import io.nats.client.impl.SocketDataPortWithWriteTimeout;

import java.io.IOException;

/**
 * jnats' default socket data port with an {@link InboundHeaderGuard} on what it reads, so that a
 * message whose headers jnats cannot parse reaches the source marked instead of ending the
 * connection's reader. jnats creates one per connection attempt by class name
 * ({@code Options.Builder.dataPortType}), hence public with a public no-argument constructor; its
 * reader thread is the only caller of {@link #read}.
 */
public final class HeaderGuardDataPort extends SocketDataPortWithWriteTimeout {
    private static final int BUFFER = 64 * 1024;

    private final InboundHeaderGuard guard = new InboundHeaderGuard(BUFFER);

    public HeaderGuardDataPort() {
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        return guard.read(dst, off, len, super::read);
    }
}
