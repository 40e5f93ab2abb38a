package dev.nodeagent.bundle;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** Reads names out of certificates: subject/issuer attributes, SANs, and the {@link CertInfo} summary. */
final class X509Names {

    private X509Names() {
    }

    static List<String> attribute(X500Principal principal, ASN1ObjectIdentifier oid) {
        X500Name name = X500Name.getInstance(principal.getEncoded());
        List<String> values = new ArrayList<>();
        for (RDN rdn : name.getRDNs(oid)) {
            Arrays.stream(rdn.getTypesAndValues())
                    .filter(tv -> tv.getType().equals(oid))
                    .forEach(tv -> values.add(IETFUtils.valueToString(tv.getValue())));
        }
        return values;
    }

    static String cn(X500Principal p) {
        List<String> cns = attribute(p, BCStyle.CN);
        return cns.isEmpty() ? "" : cns.getFirst();
    }

    static List<String> organizations(X509Certificate c) {
        return attribute(c.getSubjectX500Principal(), BCStyle.O);
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
