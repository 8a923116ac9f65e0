package io.msgbridge.nsq;

import io.msgbridge.spi.PermanentException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

/** The SSL context for {@code tls_v1}: the JDK's trust store, or the CA certificates of a PEM file. */
final class NsqSslContext {
    private NsqSslContext() {
    }

    static SSLContext of(NsqTls tls) {
        try {
            if (tls.ca().isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            try (InputStream in = Files.newInputStream(tls.ca().get())) {
                int i = 0;
                for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("ca-" + i++, cert);
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new PermanentException("cannot read the TLS CA file " + tls.ca().orElse(null) + ": " + e.getMessage(), e);
        }
    }
}
