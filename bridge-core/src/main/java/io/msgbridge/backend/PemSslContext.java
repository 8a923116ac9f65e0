package io.msgbridge.backend;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;

/**
 * Builds an {@link SSLContext} from PEM files, for the connectors that take one (jnats reads no PEM; the
 * NSQ client is our own): certificates through {@link CertificateFactory}, an unencrypted PKCS#8
 * private key through {@link KeyFactory} for the certificate's key algorithm (RSA, EC, Ed25519).
 */
public final class PemSslContext {
    private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

    private PemSslContext() {
    }

    /**
     * An SSL context trusting the CA certificates in {@code ca} (the JDK's trust store without one) and
     * presenting the client certificate {@code cert} with its key when both are given.
     */
    public static SSLContext create(Optional<Path> ca, Optional<Path> cert, Optional<Path> key) throws IOException, GeneralSecurityException {
        TrustManager[] trust = null;
        if (ca.isPresent()) {
            KeyStore trustStore = emptyStore();
            int i = 0;
            for (Certificate authority : certificates(ca.get())) {
                trustStore.setCertificateEntry("ca-" + i++, authority);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            trust = tmf.getTrustManagers();
        }
        KeyManager[] keys = null;
        if (cert.isPresent() && key.isPresent()) {
            Certificate[] chain = certificates(cert.get()).toArray(new Certificate[0]);
            if (chain.length == 0) {
                throw new GeneralSecurityException("no certificate in " + cert.get());
            }
            PrivateKey privateKey = privateKey(key.get(), chain[0].getPublicKey().getAlgorithm());
            KeyStore keyStore = emptyStore();
            keyStore.setKeyEntry("client", privateKey, IN_MEMORY_PASSWORD, chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, IN_MEMORY_PASSWORD);
            keys = kmf.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, trust, null);
        return context;
    }

    private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static Collection<? extends Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }

    private static PrivateKey privateKey(Path file, String algorithm) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN PRIVATE KEY-----";
        int start = pem.indexOf(begin);
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (start < 0 || end < start) {
            throw new GeneralSecurityException(file + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY); convert it with "
                    + "openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }
}
