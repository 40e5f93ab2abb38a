package dev.nodeagent.bundle;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Small in-memory PKI for tests: one CA, leaves from {@link CertProfiles}, with knobs to break them. */
final class TestPki {

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    final CertIssuer issuer = new CertIssuer(new SecureRandom());
    final KeyPair caKey = issuer.newKeyPair(CertIssuer.KeyAlgorithm.ECDSA_P256);
    final X509Certificate ca = issuer.selfSignedCa("k8s-ca", caKey, NOW.minus(Duration.ofDays(10)),
            NOW.plus(Duration.ofDays(3650)), true);

    LoadedCert leaf(String cert, String host, Instant notBefore, Instant notAfter) {
        CertProfile p = CertProfiles.byName(cert).orElseThrow();
        return leaf(cert, spec(p, host), notBefore, notAfter);
    }

    LoadedCert leaf(String cert, String host) {
        return leaf(cert, host, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)));
    }

    LoadedCert leaf(String cert, CertIssuer.LeafSpec spec, Instant notBefore, Instant notAfter) {
        KeyPair kp = issuer.newKeyPair(CertIssuer.KeyAlgorithm.ECDSA_P256);
        X509Certificate c = issuer.issue(spec, kp.getPublic(), ca, caKey.getPrivate(), notBefore, notAfter);
        return new LoadedCert(cert, Pem.encode(c), Pem.encode(kp));
    }

    static CertIssuer.LeafSpec spec(CertProfile p, String host) {
        return new CertIssuer.LeafSpec(p.commonNameFor(host), p.organizations(), List.of(host, "10.0.0.5"),
                p.server(), p.client(), p.signingOnly());
    }

    LoadedBundle bundle(LoadedCert... certs) {
        return new LoadedBundle(Pem.encode(ca), List.of(certs));
    }

    /** A full worker bundle for {@code host}. */
    LoadedBundle worker(String host) {
        List<LoadedCert> certs = new ArrayList<>();
        CertProfiles.WORKER.forEach(p -> certs.add(leaf(p.cert(), host)));
        return new LoadedBundle(Pem.encode(ca), certs);
    }
}
