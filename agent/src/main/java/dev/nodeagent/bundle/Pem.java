package dev.nodeagent.bundle;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM in and out: certificates, private keys (PKCS#8 {@code PRIVATE KEY}, SEC1 {@code EC PRIVATE KEY}, PKCS#1
 * {@code RSA PRIVATE KEY} — what openssl and cfssl write) and public keys. Parse errors are {@link
 * IllegalArgumentException}s whose messages never quote the input, so a key cannot leak through them.
 */
public final class Pem {

    private Pem() {
    }

    /** The first certificate in {@code pem}. */
    public static X509Certificate certificate(byte[] pem) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            return (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(pem));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("not a PEM certificate");
        }
    }

    /** True when {@code pem} holds a certificate (as opposed to a bare public key). */
    public static boolean isCertificate(byte[] pem) {
        return new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----");
    }

    /** The public key of a PEM certificate or of a PEM {@code PUBLIC KEY}. */
    public static PublicKey publicKey(byte[] pem) {
        if (isCertificate(pem)) {
            return certificate(pem).getPublicKey();
        }
        Object o = readObject(pem, "public key");
        try {
            if (o instanceof SubjectPublicKeyInfo spki) {
                return converter().getPublicKey(spki);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("unsupported public key algorithm");
        }
        throw new IllegalArgumentException("not a PEM certificate or public key");
    }

    /**
     * A key converter that asks the JDK for EC keys as "EC" (Bouncy Castle's default name is "ECDSA", which no JDK
     * provider has, so {@code KeyFactory.getInstance} walked every provider and the {@code ServiceLoader} scan
     * instantiated Bouncy Castle's full JCA provider: ~700 classes, ~10 000 service objects on the heap; the
     * resulting key was the JDK's SunEC key either way).
     */
    private static JcaPEMKeyConverter converter() {
        return new JcaPEMKeyConverter().setAlgorithmMapping(X9ObjectIdentifiers.id_ecPublicKey, "EC");
    }

    /** The private key in {@code pem}; unencrypted PKCS#8, SEC1 or PKCS#1. */
    public static PrivateKey privateKey(byte[] pem) {
        PrivateKey pkcs8 = Pkcs8.jdkKey(pem);
        return pkcs8 != null ? pkcs8 : bouncyCastlePrivateKey(pem);
    }

    /** {@link #privateKey} read by Bouncy Castle: every format, and the error messages. */
    static PrivateKey bouncyCastlePrivateKey(byte[] pem) {
        Object o = readObject(pem, "private key");
        try {
            JcaPEMKeyConverter conv = converter();
            if (o instanceof PEMKeyPair kp) {
                return conv.getPrivateKey(kp.getPrivateKeyInfo());
            }
            if (o instanceof PrivateKeyInfo pki) {
                return conv.getPrivateKey(pki);
            }
        } catch (IOException | RuntimeException e) {
            // the cause's class only: BC messages could in theory echo encoded input
            throw new IllegalArgumentException("unsupported or malformed private key (" + e.getClass().getSimpleName() + ")");
        }
        if (o == null) {
            throw new IllegalArgumentException("no PEM private key found");
        }
        throw new IllegalArgumentException("not an unencrypted PEM private key (found " + o.getClass().getSimpleName() + ")");
    }

    /**
     * PEM text of a certificate, public key, private key or key pair (the private key only). Private keys are
     * written as PKCS#8 {@code PRIVATE KEY}: Bouncy Castle's SEC1 output for a JDK key omits the curve, which
     * openssl and the JDK then reject.
     */
    public static byte[] encode(Object object) {
        Object o = object instanceof KeyPair kp ? kp.getPrivate() : object;
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            if (o instanceof PrivateKey key) {
                w.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                w.writeObject(o);
            }
        } catch (IOException e) {
            throw new IllegalStateException("PEM encoding failed", e);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * PEM text of {@code key} in {@code format}. PKCS#1 and SEC1 are unwrapped from the key's PKCS#8 encoding; SEC1
     * keeps the named curve inside the key (as openssl writes it), so openssl, Go and the JDK all read it.
     *
     * @throws IllegalArgumentException when the format does not fit the key (PKCS#1 for an EC key)
     */
    public static byte[] encode(PrivateKey key, KeyFormat format) {
        if (!format.fits(key.getAlgorithm())) {
            throw new IllegalArgumentException(format + " cannot hold a " + key.getAlgorithm() + " key");
        }
        if (format == KeyFormat.PKCS8) {
            return encode(key);
        }
        byte[] der = null;
        try {
            PrivateKeyInfo pki = PrivateKeyInfo.getInstance(key.getEncoded());
            if (format == KeyFormat.PKCS1) {
                der = pki.parsePrivateKey().toASN1Primitive().getEncoded("DER");
            } else {
                org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(pki.parsePrivateKey());
                int orderBits = ((java.security.interfaces.ECPrivateKey) key).getParams().getOrder().bitLength();
                der = new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, inner.getKey(), inner.getPublicKey(),
                        pki.getPrivateKeyAlgorithm().getParameters()).getEncoded("DER");
            }
            StringWriter out = new StringWriter();
            try (org.bouncycastle.util.io.pem.PemWriter w = new org.bouncycastle.util.io.pem.PemWriter(out)) {
                w.writeObject(new org.bouncycastle.util.io.pem.PemObject(format.pemType(), der));
            }
            return out.toString().getBytes(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("PEM encoding failed", e);
        } finally {
            if (der != null) {
                java.util.Arrays.fill(der, (byte) 0);
            }
        }
    }

    private static Object readObject(byte[] pem, String what) {
        try (PEMParser p = new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
            return p.readObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed PEM " + what);
        }
    }
}
