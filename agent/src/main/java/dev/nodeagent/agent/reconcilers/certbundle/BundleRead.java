package dev.nodeagent.agent.reconcilers.certbundle;

import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.api.status.Check;
import java.util.Arrays;
import java.util.List;

/**
 * What one read of the bundle gave: the verified set to publish, or the outcome that explains why there is
 * none (waiting for identities or the bundle dir, failed to decrypt or validate). A {@code Verified} holds
 * decrypted keys: callers {@link Verified#wipe()} it when done, and nothing here has a toString with key bytes.
 */
sealed interface BundleRead {

    /** No set to publish: {@code outcome} is waiting or failed; {@code checks} may list what was checked. */
    record NotReady(Outcome outcome, List<CertState> certs) implements BundleRead {
    }

    /** A decrypted, validated set. {@code warnings} are messages for the status line (e.g. 20 days left). */
    record Verified(byte[] caPem, CertState ca, List<VerifiedCert> certs, List<String> warnings) implements BundleRead {
        /** The CA first, then every cert: what status and metrics show. */
        List<CertState> states() {
            List<CertState> all = new java.util.ArrayList<>();
            all.add(ca);
            certs.forEach(c -> all.add(c.state()));
            return List.copyOf(all);
        }

        void wipe() {
            certs.forEach(c -> Arrays.fill(c.keyPem(), (byte) 0));
        }

        @Override
        public String toString() {
            return "Verified[" + certs.size() + " certs]";
        }
    }

    /** One cert of a verified set: name, PEMs, public facts and check results. */
    record VerifiedCert(String name, byte[] certPem, byte[] keyPem, CertState state) {
        @Override
        public String toString() {
            return "VerifiedCert[" + name + "]";
        }
    }

    /**
     * The public state of one cert for status and metrics: where it came from, its facts (null when it could
     * not be parsed) and its checks.
     */
    record CertState(String cert, String sourceFile, CertFacts facts, List<Check> checks) {
        boolean ok() {
            return checks.stream().allMatch(c -> c.ok() || c.severity() == dev.nodeagent.api.status.Severity.WARNING);
        }
    }
}
