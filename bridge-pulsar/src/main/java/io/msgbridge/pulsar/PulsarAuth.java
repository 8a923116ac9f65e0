package io.msgbridge.pulsar;

import io.msgbridge.spi.Secret;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a Pulsar connection authenticates. Never holds a secret in clear text outside {@link Secret}.
 * Kept apart from NATS's {@code NatsAuth}, which has the same shape but other mechanisms: see why there.
 */
public sealed interface PulsarAuth {

    /** Secret-free, for logs: which kind of auth, never the token. */
    String describe();

    /** No authentication. */
    record None() implements PulsarAuth {
        @Override
        public String describe() {
            return "no auth";
        }
    }

    /** A JWT token given in the config (usually {@code ${PULSAR_JWT_TOKEN}}). */
    record Token(Secret token) implements PulsarAuth {
        public Token {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String describe() {
            return "JWT token";
        }
    }

    /** A JWT token read from a file each time the client authenticates (so it may be rotated). */
    record TokenFile(Path file) implements PulsarAuth {
        public TokenFile {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String describe() {
            return "JWT token file " + file;
        }
    }
}
