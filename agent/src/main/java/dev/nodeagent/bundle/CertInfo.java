package dev.nodeagent.bundle;

import java.time.Instant;
import java.util.List;

/**
 * What a cert says about itself, named like x509-certificate-exporter's labels. {@code serialNumber} is decimal
 * (as the exporter prints it); {@code sans} are DNS names and IP addresses as text; absent fields are "".
 * {@code cert} is {@code ca} for the CA. For a {@code service-account} public key (no certificate) the dates are
 * null and the names empty.
 */
public record CertInfo(String cert, String subjectCN, String subjectO, String issuerCN, String serialNumber,
                       Instant notBefore, Instant notAfter, List<String> sans) {

    public CertInfo {
        sans = List.copyOf(sans);
    }

    /** What {@code c} says about itself, under the name {@code cert}. */
    public static CertInfo of(String cert, java.security.cert.X509Certificate c) {
        return X509Names.info(cert, c);
    }
}
