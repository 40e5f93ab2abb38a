package dev.nodeagent.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;

/** Renew's template: an existing cfssl-style cert comes back field for field; stated settings replace one field. */
class LeafTemplateTest {

    private final TestPki pki = new TestPki();
    private final CertIssuer.LeafSpec etcdDefaults = new CertIssuer.LeafSpec("etcd-server", List.of(),
            List.of("cp1", "localhost", "127.0.0.1"), true, true, false);

    /** Like cfssl: RSA 2048, C/L/O=DucksNest/CN=etcd, KU critical digitalSignature+keyEncipherment, both EKUs. */
    private X509Certificate usersEtcd(KeyPair kp) throws Exception {
        X500Name subject = new X500Name("C=NL,L=Amsterdam,O=DucksNest,CN=etcd");
        List<Extension> exts = CertIssuer.extensionsFor(new CertIssuer.LeafSpec("etcd", List.of(),
                List.of("etcd", "etcd.ducksnest.lan", "127.0.0.1", "10.0.0.11"), true, true, false), "RSA");
        return pki.issuer.issue(subject, exts, kp.getPublic(), pki.ca, pki.caKey.getPrivate(), TestPki.NOW,
                TestPki.NOW.plus(Duration.ofDays(20)));
    }

    @Test
    void anExistingCertIsReissuedWithItsSubjectExtensionsKeySizeAndKeyFormat() throws Exception {
        KeyPair kp = pki.issuer.newKeyPair(CertIssuer.KeyAlgorithm.RSA_2048);
        X509Certificate old = usersEtcd(kp);
        LeafTemplate t = LeafTemplate.of(etcdDefaults, List.of(), CertIssuer.KeyAlgorithm.ECDSA_P256, Optional.of(old),
                CertSettings.NONE, KeyFormat.PKCS1);
        KeyPair fresh = t.newKeyPair(pki.issuer);
        X509Certificate renewed = pki.issuer.issue(t.subject(), t.extensions(), fresh.getPublic(), pki.ca, pki.caKey.getPrivate(),
                TestPki.NOW, TestPki.NOW.plus(Duration.ofDays(365)));
        assertArrayEquals(old.getSubjectX500Principal().getEncoded(), renewed.getSubjectX500Principal().getEncoded());
        assertEquals(List.copyOf(old.getSubjectAlternativeNames()), List.copyOf(renewed.getSubjectAlternativeNames()));
        assertArrayEquals(old.getKeyUsage(), renewed.getKeyUsage());
        assertEquals(old.getExtendedKeyUsage(), renewed.getExtendedKeyUsage());
        assertEquals(old.getCriticalExtensionOIDs(), renewed.getCriticalExtensionOIDs());
        assertEquals(old.getNonCriticalExtensionOIDs(), renewed.getNonCriticalExtensionOIDs());
        assertEquals("RSA", fresh.getPublic().getAlgorithm());
        assertEquals(2048, ((RSAPublicKey) fresh.getPublic()).getModulus().bitLength());
        assertEquals(KeyFormat.PKCS1, t.keyFormat());
        byte[] pem = Pem.encode(fresh.getPrivate(), t.keyFormat());
        assertEquals(Optional.of(KeyFormat.PKCS1), KeyFormat.of(pem));
        assertTrue(BundleValidator.keyMatches("etcd-server", Pem.privateKey(pem), renewed.getPublicKey()).ok());
    }

    @Test
    void statedSettingsReplaceTheirFieldOnly() throws Exception {
        X509Certificate old = usersEtcd(pki.issuer.newKeyPair(CertIssuer.KeyAlgorithm.RSA_2048));
        CertSettings stated = new CertSettings("etcd-server", null, List.of("cp1", "127.0.0.1"), null, List.of("serverAuth"),
                CertIssuer.KeyAlgorithm.ECDSA_P256, null);
        LeafTemplate t = LeafTemplate.of(etcdDefaults, List.of(), CertIssuer.KeyAlgorithm.RSA_2048, Optional.of(old), stated, KeyFormat.PKCS1);
        KeyPair fresh = t.newKeyPair(pki.issuer);
        X509Certificate c = pki.issuer.issue(t.subject(), t.extensions(), fresh.getPublic(), pki.ca, pki.caKey.getPrivate(),
                TestPki.NOW, TestPki.NOW.plus(Duration.ofDays(365)));
        assertEquals("CN=etcd-server,O=DucksNest,L=Amsterdam,C=NL", c.getSubjectX500Principal().getName());
        assertEquals(List.of("cp1", "127.0.0.1"), X509Names.sans(c));
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), c.getExtendedKeyUsage());
        assertArrayEquals(old.getKeyUsage(), c.getKeyUsage());
        assertEquals("EC", fresh.getPublic().getAlgorithm());
        assertEquals(KeyFormat.SEC1, t.keyFormat(), "a traditional RSA key becomes a traditional EC key");
        assertEquals(Optional.of(KeyFormat.SEC1), KeyFormat.of(Pem.encode(fresh.getPrivate(), KeyFormat.SEC1)));
        assertTrue(BundleValidator.keyMatches("etcd-server", Pem.privateKey(Pem.encode(fresh.getPrivate(), KeyFormat.SEC1)),
                c.getPublicKey()).ok());
    }

    @Test
    void hostSansMissingFromAnExistingCertAreAddedAndNothingElseMoves() throws Exception {
        X509Certificate old = usersEtcd(pki.issuer.newKeyPair(CertIssuer.KeyAlgorithm.RSA_2048));
        LeafTemplate t = LeafTemplate.of(etcdDefaults, List.of("10.0.0.11", "100.64.0.1"), CertIssuer.KeyAlgorithm.ECDSA_P256,
                Optional.of(old), CertSettings.NONE, KeyFormat.PKCS1);
        X509Certificate c = pki.issuer.issue(t.subject(), t.extensions(), t.newKeyPair(pki.issuer).getPublic(), pki.ca,
                pki.caKey.getPrivate(), TestPki.NOW, TestPki.NOW.plus(Duration.ofDays(365)));
        assertEquals(List.of("etcd", "etcd.ducksnest.lan", "127.0.0.1", "10.0.0.11", "100.64.0.1"), X509Names.sans(c));
    }

    @Test
    void organisationsGoWhereTheOldOnesWereOrBeforeTheCn() {
        record Case(String name, String in, String cn, List<String> orgs, String want) {
        }
        for (Case k : List.of(
                new Case("drop O", "C=NL,O=DucksNest,CN=x", null, List.of(), "C=NL,CN=x"),
                new Case("replace O in place", "C=NL,O=A,O=B,OU=k,CN=x", null, List.of("system:masters"), "C=NL,O=system:masters,OU=k,CN=x"),
                new Case("add O before CN", "C=NL,CN=x", null, List.of("g"), "C=NL,O=g,CN=x"),
                new Case("replace CN", "C=NL,O=DucksNest,CN=etcd", "etcd-server", null, "C=NL,O=DucksNest,CN=etcd-server"),
                new Case("nothing stated", "C=NL,CN=x", null, null, "C=NL,CN=x"))) {
            assertEquals(k.want(), LeafTemplate.withNames(new X500Name(k.in()), k.cn(), k.orgs()).toString(), k.name());
        }
    }

    @Test
    void privateKeysAreWrittenInEachFormatAndReadBack() {
        for (CertIssuer.KeyAlgorithm alg : List.of(CertIssuer.KeyAlgorithm.RSA_2048, CertIssuer.KeyAlgorithm.ECDSA_P256)) {
            KeyPair kp = pki.issuer.newKeyPair(alg);
            for (KeyFormat f : KeyFormat.values()) {
                if (!f.fits(kp.getPrivate().getAlgorithm())) {
                    continue;
                }
                byte[] pem = Pem.encode(kp.getPrivate(), f);
                assertEquals(Optional.of(f), KeyFormat.of(pem), alg + " " + f);
                assertTrue(BundleValidator.keyMatches("x", Pem.privateKey(pem), kp.getPublic()).ok(), alg + " " + f);
            }
        }
    }
}
