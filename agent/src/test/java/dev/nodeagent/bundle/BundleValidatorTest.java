package dev.nodeagent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BundleValidatorTest {

    private static final TestPki PKI = new TestPki();
    private static final Instant NOW = TestPki.NOW;
    private static final Duration DAY = Duration.ofDays(1);

    /** name, bundle maker, the failing cert and check (null = bundle is ok). */
    static Stream<Arguments> cases() {
        return Stream.of(
                c("a full worker bundle passes", p -> p.worker("node1"), null, null),
                c("an expired cert fails validity", p -> p.bundle(p.leaf("kube-proxy", "node1", NOW.minus(DAY.multipliedBy(400)), NOW.minus(DAY))),
                        "kube-proxy", "validity"),
                c("a not-yet-valid cert fails validity", p -> p.bundle(p.leaf("kube-proxy", "node1", NOW.plus(DAY), NOW.plus(DAY.multipliedBy(400)))),
                        "kube-proxy", "validity"),
                c("a key from another cert fails key-matches-cert", p -> {
                    LoadedCert a = p.leaf("kube-proxy", "node1");
                    LoadedCert b = p.leaf("calico-cni", "node1");
                    return p.bundle(new LoadedCert("kube-proxy", a.certPem(), b.keyPem()));
                }, "kube-proxy", "key-matches-cert"),
                c("a cert from another CA with the same name fails chains-to-ca", p -> {
                    TestPki other = new TestPki();
                    return p.bundle(other.leaf("calico-cni", "node1"));
                }, "calico-cni", "chains-to-ca"),
                c("a kubelet cert for another node fails node-name", p -> p.bundle(p.leaf("kubelet", "node2")),
                        "kubelet", "node-name"),
                c("a kubelet cert without system:nodes fails node-name", p -> p.bundle(p.leaf("kubelet",
                        new CertIssuer.LeafSpec("system:node:node1", List.of(), List.of("node1"), true, true, false),
                        NOW.minus(DAY), NOW.plus(DAY.multipliedBy(365)))), "kubelet", "node-name"),
                c("a kubelet cert whose DNS SANs miss the node fails node-name", p -> p.bundle(p.leaf("kubelet",
                        new CertIssuer.LeafSpec("system:node:node1", List.of("system:nodes"), List.of("other.example"), true, true, false),
                        NOW.minus(DAY), NOW.plus(DAY.multipliedBy(365)))), "kubelet", "node-name"),
                c("a client cert without clientAuth fails key-usage", p -> p.bundle(p.leaf("kube-proxy",
                        new CertIssuer.LeafSpec("system:kube-proxy", List.of("system:node-proxier"), List.of(), true, false, false),
                        NOW.minus(DAY), NOW.plus(DAY.multipliedBy(365)))), "kube-proxy", "key-usage"),
                c("a CA without the CA flag fails ca-is-ca", p -> {
                    KeyPair k = p.issuer.newKeyPair(CertIssuer.KeyAlgorithm.ECDSA_P256);
                    X509Certificate notCa = p.issuer.selfSignedCa("k8s-ca", k, NOW.minus(DAY), NOW.plus(DAY.multipliedBy(9)), false);
                    return new LoadedBundle(Pem.encode(notCa), List.of());
                }, "ca", "ca-is-ca"),
                c("an expired CA fails validity", p -> {
                    KeyPair k = p.issuer.newKeyPair(CertIssuer.KeyAlgorithm.ECDSA_P256);
                    X509Certificate old = p.issuer.selfSignedCa("k8s-ca", k, NOW.minus(DAY.multipliedBy(9)), NOW.minus(DAY), true);
                    return new LoadedBundle(Pem.encode(old), List.of());
                }, "ca", "validity"),
                c("a garbage key fails parse", p -> {
                    LoadedCert a = p.leaf("kube-proxy", "node1");
                    return p.bundle(new LoadedCert("kube-proxy", a.certPem(), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".getBytes()));
                }, "kube-proxy", "parse"),
                c("cfssl-style serverAuth+clientAuth on a client cert passes", p -> p.bundle(p.leaf("kube-admin",
                        new CertIssuer.LeafSpec("kubernetes-admin", List.of("system:masters"), List.of(), true, true, false),
                        NOW.minus(DAY), NOW.plus(DAY.multipliedBy(365)))), null, null),
                c("a service-account key pair needs no chain or validity", p -> {
                    TestPki other = new TestPki();
                    return p.bundle(other.leaf("service-account", "node1", NOW.minus(DAY.multipliedBy(400)), NOW.minus(DAY)));
                }, null, null));
    }

    private static Arguments c(String name, Function<TestPki, LoadedBundle> bundle, String cert, String check) {
        return Arguments.of(name, bundle, cert, check);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validatesEachCase(String name, Function<TestPki, LoadedBundle> bundle, String cert, String check) {
        ValidationReport r = BundleValidator.validate(bundle.apply(PKI), "node1", NOW);
        if (cert == null) {
            assertTrue(r.ok(), () -> "expected ok, failures: " + r.failures());
        } else {
            assertFalse(r.ok(), "expected a failure");
            assertEquals(List.of(cert + "/" + check),
                    r.failures().stream().map(f -> f.cert() + "/" + f.check()).toList(), () -> r.failures().toString());
        }
    }

    @Test
    void aCertWithFewerThanThirtyDaysLeftPassesWithAWarning() {
        ValidationReport r = BundleValidator.validate(PKI.bundle(PKI.leaf("calico-cni", "node1", NOW.minus(DAY), NOW.plus(DAY.multipliedBy(10)))),
                "node1", NOW);
        assertTrue(r.ok());
        assertEquals(List.of("calico-cni/validity"), r.warnings().stream().map(w -> w.cert() + "/" + w.check()).toList());
        assertTrue(r.warnings().getFirst().message().contains("expires in 10 days"), r.warnings().getFirst().message());
    }

    @Test
    void reportsCertInfoWithSubjectSansAndDecimalSerial() {
        LoadedCert kubelet = PKI.leaf("kubelet", "node1");
        ValidationReport r = BundleValidator.validate(PKI.bundle(kubelet), "node1", NOW);
        CertInfo info = r.certs().stream().filter(i -> i.cert().equals("kubelet")).findFirst().orElseThrow();
        assertEquals("system:node:node1", info.subjectCN());
        assertEquals("system:nodes", info.subjectO());
        assertEquals("k8s-ca", info.issuerCN());
        assertEquals(List.of("node1", "10.0.0.5"), info.sans());
        assertEquals(Pem.certificate(kubelet.certPem()).getSerialNumber().toString(), info.serialNumber());
        assertEquals("ca", r.certs().getFirst().cert());
    }

    @Test
    void loadedCertToStringNeverShowsTheKey() {
        LoadedCert c = PKI.leaf("kubelet", "node1");
        String s = c.toString() + PKI.bundle(c);
        assertFalse(s.contains("PRIVATE"), s);
        assertFalse(s.contains(new String(c.keyPem()).lines().skip(1).findFirst().orElseThrow()), s);
    }

    @Test
    void theApiserversKubeletClientNeedsNoOrganisationWhenRbacBindsTheUserDirectly() {
        TestPki pki = new TestPki();
        for (List<String> orgs : List.of(List.<String>of(), List.of("DucksNest"))) {
            LoadedCert c = pki.leaf("kube-apiserver-kubelet-client", new CertIssuer.LeafSpec("kube-apiserver-kubelet-client", orgs,
                    List.of(), false, true, false), TestPki.NOW.minus(Duration.ofDays(1)), TestPki.NOW.plus(Duration.ofDays(365)));
            ValidationReport r = BundleValidator.validate(pki.bundle(c), "cp1", TestPki.NOW);
            assertEquals(List.of(), r.warnings(), orgs.toString());
            assertTrue(r.ok());
        }
        assertEquals(List.of(), CertProfiles.byName("kube-apiserver-kubelet-client").orElseThrow().organizations(),
                "nor is system:masters (cluster-admin past RBAC) issued by create");
    }
}
