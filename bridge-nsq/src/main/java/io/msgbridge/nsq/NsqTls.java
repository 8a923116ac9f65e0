package io.msgbridge.nsq;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS for nsqd connections ({@code tls_v1}).
 *
 * @param ca a PEM file of CA certificates to trust; the JDK's trust store when empty
 */
public record NsqTls(Optional<Path> ca) {
}
