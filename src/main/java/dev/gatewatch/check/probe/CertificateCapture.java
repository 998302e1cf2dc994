package dev.gatewatch.check.probe;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import dev.gatewatch.check.ErrorClass;

/**
 * The JVM's trust decision (plus extra CAs), unchanged, except that a rejected chain travels with the exception, so a
 * failed check can still report when the certificate it was shown expires.
 */
final class CertificateCapture extends X509ExtendedTrustManager {

    /** A certificate the trust check refused, with the leaf it was shown. */
    static final class Rejected extends CertificateException {
        final transient X509Certificate leaf;

        Rejected(X509Certificate leaf, CertificateException cause) {
            super(cause.getMessage(), cause);
            this.leaf = leaf;
        }
    }

    /** A TLS failure's class, message and the leaf certificate's expiry if one was seen. */
    record TlsFailure(ErrorClass errorClass, String message, Instant leafExpiry) {
    }

    private final X509ExtendedTrustManager delegate;

    private CertificateCapture(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    /** The JVM's default trust anchors plus the CA certificates in the given PEM files. */
    static CertificateCapture create(List<Path> extraCaFiles) throws Exception {
        TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jvm.init((KeyStore) null);
        if (extraCaFiles.isEmpty()) {
            return new CertificateCapture(x509(jvm.getTrustManagers()));
        }
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        int n = 0;
        for (X509Certificate ca : x509(jvm.getTrustManagers()).getAcceptedIssuers()) {
            anchors.setCertificateEntry("jvm-" + n++, ca);
        }
        CertificateFactory pem = CertificateFactory.getInstance("X.509");
        for (Path file : extraCaFiles) {
            try (InputStream in = Files.newInputStream(file)) {
                for (var cert : pem.generateCertificates(in)) {
                    anchors.setCertificateEntry("extra-" + n++, cert);
                }
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(anchors);
        return new CertificateCapture(x509(tmf.getTrustManagers()));
    }

    private static X509ExtendedTrustManager x509(TrustManager[] managers) {
        for (TrustManager tm : managers) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("the JVM has no X.509 trust manager");
    }

    /** Classifies a handshake failure from its cause chain. */
    static TlsFailure classify(Throwable failure) {
        Instant expiry = null;
        ErrorClass kind = ErrorClass.TLS_HANDSHAKE;
        String message = failure.getMessage();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Rejected r) {
                expiry = r.leaf.getNotAfter().toInstant();
                kind = ErrorClass.TLS_UNTRUSTED;
                message = r.getMessage();
            }
            if (t instanceof CertificateExpiredException
                    || (t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED)) {
                kind = ErrorClass.TLS_EXPIRED;
                message = "the certificate expired" + (expiry == null ? "" : " at " + expiry);
                break;
            }
            String text = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof CertificateException && (text.contains("no subject alternative") || text.contains("no name matching"))) {
                kind = ErrorClass.TLS_HOSTNAME;
                message = t.getMessage();
                break;
            }
        }
        return new TlsFailure(kind, message, expiry);
    }

    private interface TrustCheck {
        void run() throws CertificateException;
    }

    /** Runs the JVM's check; a refusal carries the leaf it refused. */
    private static void rejectingWithLeaf(X509Certificate[] chain, TrustCheck check) throws CertificateException {
        try {
            check.run();
        } catch (CertificateException e) {
            throw new Rejected(chain[0], e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        rejectingWithLeaf(chain, () -> delegate.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        rejectingWithLeaf(chain, () -> delegate.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        rejectingWithLeaf(chain, () -> delegate.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
