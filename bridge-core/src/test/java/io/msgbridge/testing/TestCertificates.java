package io.msgbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA and certificates it signed, made with the {@code openssl} command in a directory: {@code ca.pem}
 * ({@code ca.key}) and, per name, {@code NAME.pem} with its key {@code NAME.key} (unencrypted PKCS#8 PEM).
 * Each certificate is valid for {@code 127.0.0.1} and {@code localhost} for two days.
 */
public final class TestCertificates {
    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** Makes a CA in {@code dir} and one certificate per name, signed by it. */
    public static TestCertificates create(Path dir, String... names) {
        TestCertificates certificates = new TestCertificates(dir);
        certificates.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=bridge-test-ca",
                "-keyout", "ca.key", "-out", "ca.pem");
        for (String name : names) {
            certificates.openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name, "-keyout", name + ".rsa.key",
                    "-out", name + ".csr");
            certificates.write(name + ".ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
            certificates.openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-days", "2", "-extfile", name + ".ext", "-out", name + ".pem");
            certificates.openssl("pkcs8", "-topk8", "-nocrypt", "-in", name + ".rsa.key", "-out", name + ".key");
        }
        return certificates;
    }

    /** The CA's certificate (PEM). */
    public Path ca() {
        return dir.resolve("ca.pem");
    }

    /** The certificate of {@code name} (PEM). */
    public Path certificate(String name) {
        return dir.resolve(name + ".pem");
    }

    /** The private key of {@code name} (PKCS#8 PEM, unencrypted). */
    public Path key(String name) {
        return dir.resolve(name + ".key");
    }

    private void write(String file, String text) {
        try {
            Files.writeString(dir.resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("openssl.log").toFile())).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("openssl failed: " + String.join(" ", command) + "; see " + dir.resolve("openssl.log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run openssl (is it installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }
}
