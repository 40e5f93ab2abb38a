package dev.nodeagent.bundle;

import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/**
 * What one leaf is issued with: subject, extensions, key kind and key format. On renew it is the existing cert as
 * it is (every subject attribute in its encoding, every extension with its criticality — only the key identifiers
 * are made fresh — the same key algorithm and size, the same PEM key format), so a cfssl-made {@code CN=etcd,
 * O=DucksNest} cert with a PKCS#1 key comes back the same; with no existing cert it is the profile's defaults. Then
 * what {@code hosts.yaml} states ({@link CertSettings}) replaces its field. SANs listed for the host in
 * {@code hosts.yaml} that an existing cert lacks are added (the operator listed them for a reason).
 */
record LeafTemplate(X500Name subject, List<Extension> extensions, CertIssuer.KeyAlgorithm keyAlgorithm,
                    java.security.PublicKey keyLike, KeyFormat keyFormat) {

    /**
     * @param defaults   the profile's subject, SANs and usages for this host (create, or no readable existing cert)
     * @param hostSans   SANs hosts.yaml lists for the host, which an existing cert with SANs must carry too
     * @param existing   the cert being renewed, if any
     * @param oldFormat  the format of the key being replaced (needed only with {@code existing} and no stated format)
     */
    static LeafTemplate of(CertIssuer.LeafSpec defaults, List<String> hostSans, CertIssuer.KeyAlgorithm defaultAlgorithm,
                           Optional<X509Certificate> existing, CertSettings stated, KeyFormat oldFormat) {
        X500Name subject;
        List<Extension> exts = new ArrayList<>();
        CertIssuer.KeyAlgorithm alg = stated.keyAlgorithm();
        java.security.PublicKey like = null;
        KeyFormat format;
        if (existing.isPresent()) {
            X509Certificate c = existing.get();
            subject = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
            Extensions all = holder(c).getExtensions();
            if (all != null) {
                for (ASN1ObjectIdentifier oid : all.getExtensionOIDs()) {
                    exts.add(all.getExtension(oid));
                }
            }
            if (alg == null) {
                like = c.getPublicKey();
            }
            format = stated.keyFormat() != null ? stated.keyFormat() : oldFormat;
            if (stated.sans() == null && !hostSans.isEmpty() && find(exts, Extension.subjectAlternativeName).isPresent()) {
                List<String> have = sansOf(find(exts, Extension.subjectAlternativeName).get());
                List<String> add = hostSans.stream().filter(s -> have.stream().noneMatch(h -> h.equalsIgnoreCase(s))).toList();
                if (!add.isEmpty()) {
                    replace(exts, Extension.subjectAlternativeName, appendSans(find(exts, Extension.subjectAlternativeName).get(), add));
                }
            }
        } else {
            subject = CertIssuer.subjectOf(defaults);
            String algName = (alg != null ? alg : defaultAlgorithm) == CertIssuer.KeyAlgorithm.ECDSA_P256 ? "EC" : "RSA";
            exts.addAll(CertIssuer.extensionsFor(defaults, algName));
            format = stated.keyFormat() != null ? stated.keyFormat() : KeyFormat.PKCS8;
        }
        if (alg == null && like == null) {
            alg = defaultAlgorithm;
        }
        subject = withNames(subject, stated.commonName(), stated.organizations());
        try {
            if (stated.sans() != null) {
                replace(exts, Extension.subjectAlternativeName, stated.sans().isEmpty() ? null : CertIssuer.sanExtension(stated.sans()));
            }
            if (stated.keyUsages() != null) {
                int bits = stated.keyUsages().stream().mapToInt(CertSettings.KEY_USAGES::get).reduce(0, (a, b) -> a | b);
                replace(exts, Extension.keyUsage, bits == 0 ? null : new Extension(Extension.keyUsage, true, new KeyUsage(bits).getEncoded()));
            }
            if (stated.extendedKeyUsages() != null) {
                KeyPurposeId[] ids = stated.extendedKeyUsages().stream()
                        .map(u -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(CertSettings.EXTENDED_KEY_USAGES.getOrDefault(u, u))))
                        .toArray(KeyPurposeId[]::new);
                replace(exts, Extension.extendedKeyUsage, ids.length == 0 ? null
                        : new Extension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(ids).getEncoded()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode extensions", e);
        }
        String keyAlg = like != null ? like.getAlgorithm() : alg == CertIssuer.KeyAlgorithm.ECDSA_P256 ? "EC" : "RSA";
        if (!format.fits(keyAlg)) {
            // the key kind changed (stated keyAlgorithm): keep the old key's family, traditional or PKCS#8
            format = format == KeyFormat.PKCS8 ? KeyFormat.PKCS8 : keyAlg.equals("RSA") ? KeyFormat.PKCS1 : KeyFormat.SEC1;
        }
        return new LeafTemplate(subject, List.copyOf(exts), alg, like, format);
    }

    /** A new key pair of the template's kind. */
    KeyPair newKeyPair(CertIssuer issuer) {
        return keyLike != null ? issuer.newKeyPairLike(keyLike) : issuer.newKeyPair(keyAlgorithm);
    }

    /**
     * {@code name} with its CN values replaced by {@code cn} and its O values by {@code orgs} (either null: kept).
     * Other attributes (C, L, OU, ...) keep their place and encoding; the O's go where the first O was, else just
     * before the CN.
     */
    static X500Name withNames(X500Name name, String cn, List<String> orgs) {
        if (cn == null && orgs == null) {
            return name;
        }
        List<RDN> out = new ArrayList<>();
        boolean orgsPlaced = orgs == null;
        boolean cnPlaced = cn == null;
        for (RDN rdn : name.getRDNs()) {
            ASN1ObjectIdentifier type = rdn.getFirst().getType();
            if (orgs != null && type.equals(BCStyle.O)) {
                if (!orgsPlaced) {
                    orgs.forEach(o -> out.add(rdn(BCStyle.O, o)));
                    orgsPlaced = true;
                }
                continue;
            }
            if (cn != null && type.equals(BCStyle.CN)) {
                if (!orgsPlaced) {
                    orgs.forEach(o -> out.add(rdn(BCStyle.O, o)));
                    orgsPlaced = true;
                }
                if (!cnPlaced) {
                    out.add(rdn(BCStyle.CN, cn));
                    cnPlaced = true;
                }
                continue;
            }
            if (!orgsPlaced && type.equals(BCStyle.CN)) {
                orgs.forEach(o -> out.add(rdn(BCStyle.O, o)));
                orgsPlaced = true;
            }
            out.add(rdn);
        }
        if (!orgsPlaced) {
            orgs.forEach(o -> out.add(rdn(BCStyle.O, o)));
        }
        if (!cnPlaced) {
            out.add(rdn(BCStyle.CN, cn));
        }
        return new X500Name(out.toArray(RDN[]::new));
    }

    private static RDN rdn(ASN1ObjectIdentifier type, String value) {
        return new RDN(type, new DERUTF8String(value));
    }

    private static JcaX509CertificateHolder holder(X509Certificate c) {
        try {
            return new JcaX509CertificateHolder(c);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("unreadable certificate", e);
        }
    }

    private static Optional<Extension> find(List<Extension> exts, ASN1ObjectIdentifier oid) {
        return exts.stream().filter(e -> e.getExtnId().equals(oid)).findFirst();
    }

    /** Replaces the extension {@code oid} in place (or appends it); null removes it. */
    private static void replace(List<Extension> exts, ASN1ObjectIdentifier oid, Extension with) {
        for (int i = 0; i < exts.size(); i++) {
            if (exts.get(i).getExtnId().equals(oid)) {
                if (with == null) {
                    exts.remove(i);
                } else {
                    exts.set(i, with);
                }
                return;
            }
        }
        if (with != null) {
            exts.add(with);
        }
    }

    private static List<String> sansOf(Extension san) {
        List<String> out = new ArrayList<>();
        for (GeneralName n : GeneralNames.getInstance(san.getParsedValue()).getNames()) {
            if (n.getTagNo() == GeneralName.dNSName) {
                out.add(n.getName().toString());
            } else if (n.getTagNo() == GeneralName.iPAddress) {
                try {
                    out.add(java.net.InetAddress.getByAddress(
                            org.bouncycastle.asn1.ASN1OctetString.getInstance(n.getName()).getOctets()).getHostAddress());
                } catch (java.net.UnknownHostException e) {
                    // not an address length: not comparable
                }
            }
        }
        return out;
    }

    /** {@code san} with {@code add} appended, its criticality and every existing name (of any type) kept. */
    private static Extension appendSans(Extension san, List<String> add) {
        LinkedHashSet<GeneralName> names = new LinkedHashSet<>(List.of(GeneralNames.getInstance(san.getParsedValue()).getNames()));
        add.forEach(s -> names.add(new GeneralName(CertIssuer.isIpLiteral(s) ? GeneralName.iPAddress : GeneralName.dNSName, s)));
        try {
            ASN1Encodable value = new GeneralNames(names.toArray(GeneralName[]::new));
            return new Extension(Extension.subjectAlternativeName, san.isCritical(), value.toASN1Primitive().getEncoded("DER"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode subjectAltName", e);
        }
    }
}
