package dev.nodeagent.bundle;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/** Reads names out of certificates: subject/issuer attributes, SANs, and the {@link CertInfo} summary. */
final class X509Names {

    private X509Names() {
    }

    /** DER of the attribute types read here: id-at-commonName (2.5.4.3), id-at-organizationName (2.5.4.10). */
    private static final byte[] CN = {0x55, 0x04, 0x03};
    private static final byte[] O = {0x55, 0x04, 0x0a};

    /**
     * The values of attribute {@code oid} (its DER contents octets) in {@code principal}, in order, as Bouncy Castle's
     * {@code IETFUtils.valueToString} writes them. Read from the DER by hand for the usual string types; anything
     * else (BMP or universal strings, odd encodings) goes to {@link BcNames}, which is Bouncy Castle itself. That
     * keeps Bouncy Castle's ASN.1 classes (≈100, all resident in the daemon's AOT cache) out of a worker, whose
     * certificates never need them; {@code X509NamesTest} compares both paths.
     */
    static List<String> attribute(X500Principal principal, byte[] oid) {
        byte[] der = principal.getEncoded();
        List<String> fast = DerNames.values(der, oid);
        return fast != null ? fast : BcNames.values(der, oid);
    }

    static String cn(X500Principal p) {
        List<String> cns = attribute(p, CN);
        return cns.isEmpty() ? "" : cns.getFirst();
    }

    static List<String> organizations(X509Certificate c) {
        return attribute(c.getSubjectX500Principal(), O);
    }

    /** DNS names and IP addresses, as text, in certificate order. */
    static List<String> sans(X509Certificate c) {
        try {
            Collection<List<?>> alt = c.getSubjectAlternativeNames();
            if (alt == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (List<?> entry : alt) {
                int type = (Integer) entry.get(0);
                if (type == 2 || type == 7) { // dNSName, iPAddress
                    out.add(String.valueOf(entry.get(1)));
                }
            }
            return out;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    static CertInfo info(String cert, X509Certificate c) {
        return new CertInfo(cert, cn(c.getSubjectX500Principal()), String.join(",", organizations(c)),
                cn(c.getIssuerX500Principal()), c.getSerialNumber().toString(),
                c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), sans(c));
    }
}
