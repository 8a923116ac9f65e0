package io.msgbridge.nats;

import io.msgbridge.spi.Secret;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a connection authenticates: at most one mechanism per connection. Secrets stay in
 * {@link Secret}s, whose {@code toString()} hides them, so these records are safe to log.
 *
 * <p>Pulsar's {@code PulsarAuth} looks the same but is kept apart on purpose: the mechanisms differ in
 * substance (here a server token, user and password, an NKey seed, a {@code .creds} file of JWT and
 * seed; there a JWT, given or re-read from a file at each authentication), and each connection factory
 * switches over exactly the mechanisms its client supports, which one shared type would blur. What
 * they do share, a secret from {@code ${VAR}} or {@code ${file:PATH}} that no log shows, is one piece
 * already: {@code ConfigNode.secret} and {@link Secret}.
 */
public sealed interface NatsAuth {

    /** A short, secret-free description for logs, e.g. {@code user bob}. */
    String describe();

    /** No credentials. */
    record None() implements NatsAuth {
        @Override
        public String describe() {
            return "no auth";
        }
    }

    /** A token ({@code token:}). */
    record Token(Secret token) implements NatsAuth {
        public Token {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String describe() {
            return "token";
        }
    }

    /** A user name and password ({@code user:} + {@code password:}). */
    record UserPassword(String user, Secret password) implements NatsAuth {
        public UserPassword {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String describe() {
            return "user " + user;
        }
    }

    /** A file holding an NKey user seed ({@code nkey-seed-file:}). */
    record NKeySeedFile(Path file) implements NatsAuth {
        public NKeySeedFile {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String describe() {
            return "nkey seed file " + file;
        }
    }

    /** A {@code .creds} file with a user JWT and its NKey seed ({@code creds-file:}). */
    record CredsFile(Path file) implements NatsAuth {
        public CredsFile {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String describe() {
            return "creds file " + file;
        }
    }
}
