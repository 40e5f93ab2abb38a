package dev.nodeagent.bundle;

import java.util.List;

/** Every check run on a bundle, and what each cert says about itself (the CA first, as {@code ca}). */
public record ValidationReport(List<CertCheck> checks, List<CertInfo> certs) {

    public ValidationReport {
        checks = List.copyOf(checks);
        certs = List.copyOf(certs);
    }

    /** True when no check failed (warnings allowed). */
    public boolean ok() {
        return checks.stream().allMatch(CertCheck::ok);
    }

    /** The failed checks, in order. */
    public List<CertCheck> failures() {
        return checks.stream().filter(c -> !c.ok()).toList();
    }

    /** The passed-with-warning checks, in order. */
    public List<CertCheck> warnings() {
        return checks.stream().filter(c -> c.ok() && c.warning()).toList();
    }
}
