package dev.nodeagent.bundle;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes keys and X.509 certificates with Bouncy Castle: a self-signed CA and leaves signed by it, with the
 * extensions Kubernetes components check (basicConstraints, keyUsage, extendedKeyUsage, SANs, key identifiers).
 * Randomness is passed in so tests can be reproducible about everything but signatures.
 */
public final class CertIssuer {

    /** Key algorithms for new keys: ECDSA P-256 (default) or RSA 2048/4096. */
    public enum KeyAlgorithm { ECDSA_P256, RSA_2048, RSA_4096 }

    /**
     * A leaf to issue.
     *
     * @param sans DNS names and IP literals, mixed; IPs are recognised by their syntax
     */
    public record LeafSpec(String commonName, List<String> organizations, List<String> sans, boolean server,
                           boolean client, boolean signingOnly) {
        public LeafSpec {
            organizations = List.copyOf(organizations);
            sans = List.copyOf(sans);
        }
    }

    private final SecureRandom random;

    public CertIssuer(SecureRandom random) {
        this.random = random;
    }

    public KeyPair newKeyPair(KeyAlgorithm algorithm) {
        try {
            KeyPairGenerator g;
            switch (algorithm) {
                case ECDSA_P256 -> {
                    g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"), random);
                }
                case RSA_2048, RSA_4096 -> {
                    g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(algorithm == KeyAlgorithm.RSA_2048 ? 2048 : 4096, random);
                }
                default -> throw new IllegalArgumentException(algorithm.toString());
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key", e);
        }
    }

    /** A self-signed CA; {@code caFlag=false} makes a broken "CA" (for tests of the validator). */
    public X509Certificate selfSignedCa(String commonName, KeyPair key, Instant notBefore, Instant notAfter, boolean caFlag) {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore),
                    Date.from(notAfter), name, key.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(caFlag))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key.getPublic()));
            if (caFlag) {
                b.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            }
            return sign(b, key.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue CA certificate", e);
        }
    }

    /** A leaf for {@code subjectKey}, signed by {@code ca}/{@code caKey}. */
    public X509Certificate issue(LeafSpec spec, PublicKey subjectKey, X509Certificate ca, PrivateKey caKey,
                                 Instant notBefore, Instant notAfter) {
        return issue(subjectOf(spec), extensionsFor(spec, subjectKey.getAlgorithm()), subjectKey, ca, caKey, notBefore, notAfter);
    }

    /**
     * A leaf with exactly {@code subject} and {@code extensions} (basicConstraints, keyUsage, SANs, ...), plus fresh
     * subject and authority key identifiers: what renew uses to reissue a cert as it was.
     */
    public X509Certificate issue(X500Name subject, List<Extension> extensions, PublicKey subjectKey, X509Certificate ca,
                                 PrivateKey caKey, Instant notBefore, Instant notAfter) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(notBefore),
                    Date.from(notAfter), subject, subjectKey);
            for (Extension e : extensions) {
                if (!e.getExtnId().equals(Extension.subjectKeyIdentifier) && !e.getExtnId().equals(Extension.authorityKeyIdentifier)) {
                    b.addExtension(e);
                }
            }
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            return sign(b, caKey);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue certificate for " + subject, e);
        }
    }

    /** The subject of {@code spec}: its organisations, then its CN. */
    static X500Name subjectOf(LeafSpec spec) {
        X500NameBuilder nb = new X500NameBuilder(BCStyle.INSTANCE);
        spec.organizations().forEach(o -> nb.addRDN(BCStyle.O, o));
        nb.addRDN(BCStyle.CN, spec.commonName());
        return nb.build();
    }

    /**
     * The extensions a new leaf of {@code spec} gets: CA:FALSE, keyUsage digitalSignature (+ keyEncipherment for
     * RSA), the extended usages its consumer needs, its SANs.
     */
    static List<Extension> extensionsFor(LeafSpec spec, String keyAlgorithm) {
        try {
            List<Extension> out = new ArrayList<>();
            out.add(new Extension(Extension.basicConstraints, true, new BasicConstraints(false).getEncoded()));
            int usage = KeyUsage.digitalSignature | (keyAlgorithm.equals("RSA") ? KeyUsage.keyEncipherment : 0);
            out.add(new Extension(Extension.keyUsage, true, new KeyUsage(usage).getEncoded()));
            List<KeyPurposeId> purposes = new ArrayList<>();
            if (spec.server()) {
                purposes.add(KeyPurposeId.id_kp_serverAuth);
            }
            if (spec.client()) {
                purposes.add(KeyPurposeId.id_kp_clientAuth);
            }
            if (!purposes.isEmpty()) {
                out.add(new Extension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)).getEncoded()));
            }
            if (!spec.sans().isEmpty()) {
                out.add(sanExtension(spec.sans()));
            }
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot encode extensions for " + spec.commonName(), e);
        }
    }

    /** A subjectAltName extension (not critical) of DNS names and IP literals. */
    static Extension sanExtension(List<String> sans) throws java.io.IOException {
        GeneralName[] names = sans.stream()
                .map(s -> new GeneralName(isIpLiteral(s) ? GeneralName.iPAddress : GeneralName.dNSName, s))
                .toArray(GeneralName[]::new);
        return new Extension(Extension.subjectAlternativeName, false, new GeneralNames(names).getEncoded());
    }

    /** A new key pair of the same kind as {@code like}: RSA of the same modulus size, EC on the same curve. */
    public KeyPair newKeyPairLike(PublicKey like) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(like.getAlgorithm());
            if (like instanceof java.security.interfaces.RSAPublicKey rsa) {
                g.initialize(rsa.getModulus().bitLength(), random);
            } else if (like instanceof java.security.interfaces.ECPublicKey ec) {
                g.initialize(ec.getParams(), random);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a key like the " + like.getAlgorithm() + " key it replaces", e);
        }
    }

    /** True for an IPv4 dotted quad or an IPv6 literal (anything with a colon and only hex digits, dots, colons). */
    public static boolean isIpLiteral(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (s.contains(":") && s.matches("[0-9A-Fa-f:.]+"));
    }

    private X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws GeneralSecurityException {
        String alg = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("no signer for " + alg, e);
        }
    }

    private BigInteger serial() {
        return new BigInteger(127, random).add(BigInteger.ONE); // positive, ≤ 16 bytes (RFC 5280)
    }
}
