package dev.nodeagent.bundle;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * The checks a bundle must pass before it goes live — the same ones {@code agentctl bundle verify} runs offline.
 * Pure: no I/O, time passed in. Per cert: the key matches the cert; the cert chains to the bundle CA; it is
 * within its validity (a warning under {@link #WARN_BEFORE_EXPIRY} left); the usages its consumer needs are
 * allowed; the kubelet cert names this node ({@code system:node:<node>}, group {@code system:nodes}, DNS SANs
 * include the node name). The CA must be a CA. {@code service-account} is only a signing key pair: its key must
 * match, nothing else is required of it. Extended key usages are checked for what the consumer needs, never
 * for an exact set (cfssl always sets serverAuth+clientAuth).
 */
public final class BundleValidator {

    /** Fewer days than this left → a warning. */
    public static final Duration WARN_BEFORE_EXPIRY = Duration.ofDays(30);

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EKU = "2.5.29.37.0";

    private BundleValidator() {
    }

    /**
     * Every check on {@code bundle}. A cert whose {@code keyPem} is null (its key was not opened: {@code bundle
     * inspect}, or a key that failed to decrypt) gets every check that needs no private key; a null
     * {@code nodeName} skips {@code node-name} (a flat bundle inspected without {@code --node}).
     */
    public static ValidationReport validate(LoadedBundle bundle, String nodeName, Instant now) {
        List<CertCheck> checks = new ArrayList<>();
        List<CertInfo> infos = new ArrayList<>();
        X509Certificate ca = null;
        try {
            ca = Pem.certificate(bundle.caPem());
            infos.add(X509Names.info("ca", ca));
            checkCa(ca, checks);
            checkValidity("ca", ca, now, checks);
        } catch (IllegalArgumentException e) {
            checks.add(CertCheck.fail("ca", "parse", "CA certificate: " + e.getMessage()));
        }
        for (LoadedCert c : bundle.certs()) {
            validateCert(c, ca, nodeName, now, checks, infos);
        }
        return new ValidationReport(checks, infos);
    }

    private static void validateCert(LoadedCert c, X509Certificate ca, String nodeName, Instant now,
                                     List<CertCheck> checks, List<CertInfo> infos) {
        String name = c.cert();
        Optional<CertProfile> profile = CertProfiles.byName(name);
        boolean signingOnly = profile.map(CertProfile::signingOnly).orElse(false);
        X509Certificate cert = null;
        PublicKey pub;
        try {
            if (signingOnly && !Pem.isCertificate(c.certPem())) {
                pub = Pem.publicKey(c.certPem());
                infos.add(new CertInfo(name, "", "", "", "", null, null, List.of()));
            } else {
                cert = Pem.certificate(c.certPem());
                pub = cert.getPublicKey();
                infos.add(X509Names.info(name, cert));
            }
        } catch (IllegalArgumentException e) {
            checks.add(CertCheck.fail(name, "parse", name + " certificate: " + e.getMessage()));
            return;
        }
        if (c.keyPem() != null) {
            PrivateKey key;
            try {
                key = Pem.privateKey(c.keyPem());
            } catch (IllegalArgumentException e) {
                checks.add(CertCheck.fail(name, "parse", name + " key: " + e.getMessage()));
                return;
            }
            checks.add(keyMatches(name, key, pub));
        }
        if (signingOnly) {
            checks.add(CertCheck.pass(name, "key-pair", name + " is a signing key pair (" + pub.getAlgorithm()
                    + "); no chain, validity or usage is required of it"));
            return;
        }
        X509Certificate leaf = cert;
        if (ca != null) {
            checks.add(chains(name, leaf, ca));
        }
        checkValidity(name, leaf, now, checks);
        profile.ifPresent(p -> checkUsage(name, leaf, p, checks));
        if (name.equals(CertProfiles.KUBELET)) {
            if (nodeName != null) {
                checks.add(nodeName(leaf, nodeName));
            }
        } else {
            profile.ifPresent(p -> subject(name, leaf, p, nodeName).ifPresent(checks::add));
        }
    }

    private static void checkCa(X509Certificate ca, List<CertCheck> checks) {
        if (ca.getBasicConstraints() < 0) {
            checks.add(CertCheck.fail("ca", "ca-is-ca", "the CA certificate (CN=" + X509Names.cn(ca.getSubjectX500Principal())
                    + ") is not a CA: basicConstraints CA:TRUE is missing"));
            return;
        }
        boolean[] ku = ca.getKeyUsage();
        if (ku != null && !ku[5]) {
            checks.add(CertCheck.fail("ca", "ca-is-ca", "the CA certificate may not sign certificates: keyUsage lacks keyCertSign"));
            return;
        }
        checks.add(CertCheck.pass("ca", "ca-is-ca", "CA:TRUE"));
    }

    static CertCheck keyMatches(String name, PrivateKey key, PublicKey pub) {
        String alg = signatureAlgorithm(pub);
        if (alg == null || !key.getAlgorithm().equals(pub.getAlgorithm())) {
            return CertCheck.fail(name, "key-matches-cert", "the " + name + " key (" + key.getAlgorithm()
                    + ") does not belong to its certificate (" + pub.getAlgorithm() + ")");
        }
        try {
            byte[] challenge = ("node-agent key check " + name).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.security.Signature s = java.security.Signature.getInstance(alg);
            s.initSign(key);
            s.update(challenge);
            byte[] sig = s.sign();
            java.security.Signature v = java.security.Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(challenge);
            if (v.verify(sig)) {
                return CertCheck.pass(name, "key-matches-cert", "key matches certificate");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // fall through: any failure to sign/verify means the pair does not work together
        }
        return CertCheck.fail(name, "key-matches-cert", "the " + name + " key does not match its certificate's public key");
    }

    private static String signatureAlgorithm(PublicKey pub) {
        return switch (pub.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
    }

    private static CertCheck chains(String name, X509Certificate cert, X509Certificate ca) {
        if (!sameName(cert.getIssuerX500Principal(), ca.getSubjectX500Principal())) {
            return CertCheck.fail(name, "chains-to-ca", name + " was issued by CN=" + X509Names.cn(cert.getIssuerX500Principal())
                    + ", not by the bundle CA CN=" + X509Names.cn(ca.getSubjectX500Principal()));
        }
        try {
            cert.verify(ca.getPublicKey());
            return CertCheck.pass(name, "chains-to-ca", "signed by CA CN=" + X509Names.cn(ca.getSubjectX500Principal()));
        } catch (GeneralSecurityException | RuntimeException e) {
            return CertCheck.fail(name, "chains-to-ca", name + "'s signature does not verify with the bundle CA's key"
                    + " (same CA name, different CA)");
        }
    }

    /**
     * {@link X500Principal#equals} (RFC 2253 canonical forms), without computing them when the encodings are the
     * same bytes, as they are when the issuing tool copied the CA's subject: the canonical form needs the JDK's
     * Unicode normaliser and PKCS#9 tables (≈60 classes and their data, resident in the daemon's AOT cache).
     */
    static boolean sameName(X500Principal a, X500Principal b) {
        return java.util.Arrays.equals(a.getEncoded(), b.getEncoded()) || a.equals(b);
    }

    private static void checkValidity(String name, X509Certificate c, Instant now, List<CertCheck> checks) {
        Instant nb = c.getNotBefore().toInstant();
        Instant na = c.getNotAfter().toInstant();
        if (now.isBefore(nb)) {
            checks.add(CertCheck.fail(name, "validity", NotYetValid.explain(name, nb, now)));
        } else if (now.isAfter(na)) {
            checks.add(CertCheck.fail(name, "validity", name + " expired at " + na));
        } else {
            long days = Duration.between(now, na).toDays();
            if (Duration.between(now, na).compareTo(WARN_BEFORE_EXPIRY) < 0) {
                checks.add(CertCheck.warn(name, "validity", name + " expires in " + days + " days (" + na + ")"));
            } else {
                checks.add(CertCheck.pass(name, "validity", "valid until " + na + " (" + days + " days)"));
            }
        }
    }

    private static void checkUsage(String name, X509Certificate c, CertProfile p, List<CertCheck> checks) {
        List<String> eku;
        try {
            eku = c.getExtendedKeyUsage();
        } catch (java.security.cert.CertificateParsingException e) {
            checks.add(CertCheck.fail(name, "key-usage", name + ": unreadable extendedKeyUsage"));
            return;
        }
        List<String> missing = new ArrayList<>();
        if (eku != null && !eku.contains(ANY_EKU)) {
            if (p.server() && !eku.contains(SERVER_AUTH)) {
                missing.add("serverAuth");
            }
            if (p.client() && !eku.contains(CLIENT_AUTH)) {
                missing.add("clientAuth");
            }
        }
        boolean[] ku = c.getKeyUsage();
        if (ku != null && !ku[0] && !ku[2]) {
            missing.add("keyUsage digitalSignature");
        }
        if (!missing.isEmpty()) {
            checks.add(CertCheck.fail(name, "key-usage", name + " cannot be used as its consumer needs: lacks "
                    + String.join(", ", missing)));
        } else {
            checks.add(CertCheck.pass(name, "key-usage", "usages allow " + (p.server() ? p.client() ? "server and client" : "server" : "client")));
        }
    }

    private static CertCheck nodeName(X509Certificate c, String node) {
        String cn = X509Names.cn(c.getSubjectX500Principal());
        String want = "system:node:" + node;
        if (!cn.equals(want)) {
            return CertCheck.fail("kubelet", "node-name", "kubelet CN is '" + cn + "', expected '" + want + "'");
        }
        List<String> orgs = X509Names.organizations(c);
        if (!orgs.contains("system:nodes")) {
            return CertCheck.fail("kubelet", "node-name", "kubelet cert lacks O=system:nodes (has " + orgs + ")");
        }
        // IP SANs say nothing about the name; DNS SANs, when present, must include the node name (or its FQDN)
        List<String> names = X509Names.sans(c).stream().filter(s -> !looksLikeIp(s)).toList();
        if (!names.isEmpty() && names.stream().noneMatch(s -> s.equalsIgnoreCase(node) || s.toLowerCase().startsWith(node.toLowerCase() + "."))) {
            return CertCheck.fail("kubelet", "node-name", "kubelet cert DNS SANs " + names + " do not include node name '" + node + "'");
        }
        return CertCheck.pass("kubelet", "node-name", "CN=" + want + ", O=system:nodes");
    }

    private static boolean looksLikeIp(String s) {
        return s.matches("[0-9.]+") || (s.contains(":") && s.matches("[0-9a-fA-F:.]+"));
    }

    private static Optional<CertCheck> subject(String name, X509Certificate c, CertProfile p, String node) {
        String cn = X509Names.cn(c.getSubjectX500Principal());
        List<String> orgs = X509Names.organizations(c);
        String wantCn = p.commonNameFor(node);
        boolean cnMatters = wantCn.startsWith("system:") || wantCn.equals("kubernetes-admin");
        if ((cnMatters && !cn.equals(wantCn)) || !orgs.containsAll(p.organizations())) {
            return Optional.of(CertCheck.warn(name, "subject", name + " subject is CN=" + cn + " O=" + orgs
                    + "; Kubernetes RBAC usually expects CN=" + wantCn + (p.organizations().isEmpty() ? "" : " O=" + p.organizations())));
        }
        return Optional.empty();
    }
}
