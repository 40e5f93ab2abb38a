package dev.nodeagent.agent.reconcilers.certbundle;

import java.time.Instant;

/**
 * The public facts about one published cert: its name in the set, its stable path (as configured, not resolved
 * under the host root), subject, issuer, serial and validity. Safe for metrics and status; no key material.
 */
record CertFacts(String cert, String filepath, String subjectCN, String subjectO, String issuerCN, String serialNumber,
                 Instant notBefore, Instant notAfter) {

    /** The same facts for the file at {@code path}. */
    CertFacts at(String path) {
        return new CertFacts(cert, path, subjectCN, subjectO, issuerCN, serialNumber, notBefore, notAfter);
    }
}
