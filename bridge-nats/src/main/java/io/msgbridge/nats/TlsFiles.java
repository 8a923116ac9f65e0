package io.msgbridge.nats;

import java.nio.file.Path;
import java.util.Optional;

/**
 * PEM files for TLS ({@code tls:} section). Every part is optional: {@code ca} alone trusts a private
 * CA; {@code cert} and {@code key} (PKCS#8, unencrypted) together present a client certificate; an
 * empty section uses TLS with the JDK's default trust store.
 */
public record TlsFiles(Optional<Path> ca, Optional<Path> cert, Optional<Path> key) {
}
