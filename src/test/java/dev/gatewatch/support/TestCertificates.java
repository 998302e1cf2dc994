package dev.gatewatch.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test CA and server certificates for the TLS failure modes a checker must tell apart. Generated once per JVM
 * (EC P-256, fast) into a temporary directory that is removed at exit.
 */
public final class TestCertificates {

    public enum Kind { VALID, EXPIRED, WRONG_HOST, SELF_SIGNED }

    /** PEM files (certificate, PKCS#8 private key) usable with Vert.x PemKeyCertOptions. */
    public record Pem(Path cert, Path key, Instant notAfter) {
    }

    public static final String SITE = "site.gatewatch.test";
    public static final String WRONG_HOST_NAME = "other.example.org";
    private static final String[] SITE_NAMES = { SITE, "*.gatewatch.test", "localhost" };

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestCertificates() {
    }

    public static Path caPem() {
        return Holder.SET.caPem;
    }

    public static Pem valid() {
        return pem(Kind.VALID);
    }

    public static Pem expired() {
        return pem(Kind.EXPIRED);
    }

    public static Pem wrongHost() {
        return pem(Kind.WRONG_HOST);
    }

    public static Pem selfSigned() {
        return pem(Kind.SELF_SIGNED);
    }

    public static Pem pem(Kind kind) {
        return Holder.SET.leaves.get(kind);
    }

    // Holder idiom: generated on first use, thread-safe without locks.
    private static final class Holder {
        static final Generated SET = generate();
    }

    private record Generated(Path caPem, Map<Kind, Pem> leaves) {
    }

    /** Quarkus tests load this class in more than one class loader; all of them must share one CA. */
    private static final String SHARED_DIR = "dev.gatewatch.test.certificates";
    private static final Map<Kind, String> FILES = Map.of(Kind.VALID, "valid", Kind.EXPIRED, "expired",
            Kind.WRONG_HOST, "wrong-host", Kind.SELF_SIGNED, "self-signed");

    private static Generated generate() {
        synchronized (System.getProperties()) {
            String shared = System.getProperty(SHARED_DIR);
            if (shared != null) {
                return load(Path.of(shared));
            }
            Generated made = create();
            System.setProperty(SHARED_DIR, made.caPem().getParent().toString());
            return made;
        }
    }

    private static Generated load(Path dir) {
        try {
            var factory = java.security.cert.CertificateFactory.getInstance("X.509");
            Map<Kind, Pem> leaves = new EnumMap<>(Kind.class);
            for (var e : FILES.entrySet()) {
                Path cert = dir.resolve(e.getValue() + ".crt");
                try (var in = Files.newInputStream(cert)) {
                    X509Certificate x = (X509Certificate) factory.generateCertificate(in);
                    leaves.put(e.getKey(), new Pem(cert, dir.resolve(e.getValue() + ".key"), x.getNotAfter().toInstant()));
                }
            }
            return new Generated(dir.resolve("ca.crt"), Map.copyOf(leaves));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read test certificates in " + dir, e);
        }
    }

    private static Generated create() {
        try {
            Path dir = Files.createTempDirectory("gatewatch-certs");
            dir.toFile().deleteOnExit(); // deleteOnExit runs in reverse order: files first, then the directory
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

            KeyPair caKeys = newKeyPair();
            X500Name caName = new X500Name("CN=Gatewatch Test CA,O=Gatewatch Tests");
            X509Certificate ca = build(caName, caKeys, caName, caKeys.getPrivate(), null,
                    now.minus(Duration.ofDays(2)), now.plus(Duration.ofDays(3650)), true, null, false);
            Path caPem = write(dir, "ca.crt", pem("CERTIFICATE", ca.getEncoded()));

            Map<Kind, Pem> leaves = new EnumMap<>(Kind.class);
            Instant validFrom = now.minus(Duration.ofDays(1));
            Instant validTo = now.plus(Duration.ofDays(90));
            leaves.put(Kind.VALID, leaf(dir, "valid", ca, caKeys, validFrom, validTo, SITE_NAMES, true));
            leaves.put(Kind.EXPIRED, leaf(dir, "expired", ca, caKeys, now.minus(Duration.ofDays(100)),
                    now.minus(Duration.ofDays(10)), SITE_NAMES, true));
            leaves.put(Kind.WRONG_HOST, leaf(dir, "wrong-host", ca, caKeys, validFrom, validTo,
                    new String[] { WRONG_HOST_NAME }, false));
            leaves.put(Kind.SELF_SIGNED, leaf(dir, "self-signed", null, null, validFrom, validTo, SITE_NAMES, true));
            return new Generated(caPem, Map.copyOf(leaves));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot generate test certificates", e);
        }
    }

    private static Pem leaf(Path dir, String name, X509Certificate ca, KeyPair caKeys, Instant from, Instant to,
            String[] dnsNames, boolean loopbackIp) throws GeneralSecurityException, IOException,
            org.bouncycastle.operator.OperatorCreationException {
        KeyPair keys = newKeyPair();
        X500Name subject = new X500Name("CN=" + dnsNames[0] + ",O=Gatewatch Tests");
        GeneralName[] sans = new GeneralName[dnsNames.length + (loopbackIp ? 1 : 0)];
        for (int i = 0; i < dnsNames.length; i++) {
            sans[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
        }
        if (loopbackIp) {
            sans[dnsNames.length] = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
        }
        X509Certificate cert = ca == null
                ? build(subject, keys, subject, keys.getPrivate(), null, from, to, false, new GeneralNames(sans), true)
                : build(subject, keys, X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                        caKeys.getPrivate(), ca, from, to, false, new GeneralNames(sans), false);
        Path certPath = write(dir, name + ".crt", pem("CERTIFICATE", cert.getEncoded()));
        // getEncoded() of a JDK private key is PKCS#8, i.e. "BEGIN PRIVATE KEY".
        Path keyPath = write(dir, name + ".key", pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        return new Pem(certPath, keyPath, cert.getNotAfter().toInstant());
    }

    private static X509Certificate build(X500Name subject, KeyPair keys, X500Name issuer, PrivateKey signer,
            X509Certificate issuerCert, Instant from, Instant to, boolean isCa, GeneralNames sans, boolean selfSigned)
            throws GeneralSecurityException, IOException, org.bouncycastle.operator.OperatorCreationException {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(from), Date.from(to), subject, keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        if (issuerCert != null) {
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerCert));
        }
        if (isCa) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            // A self-signed leaf may also sign itself; otherwise some validators reject its own signature.
            int usage = KeyUsage.digitalSignature | (selfSigned ? KeyUsage.keyCertSign : 0);
            b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false, sans);
        }
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return g.generateKeyPair();
    }

    private static String pem(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.US_ASCII);
        p.toFile().deleteOnExit();
        return p;
    }
}
