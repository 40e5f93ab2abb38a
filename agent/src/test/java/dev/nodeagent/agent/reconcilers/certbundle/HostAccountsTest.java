package dev.nodeagent.agent.reconcilers.certbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nodeagent.agent.reconcilers.certbundle.CertBundleSettings.Ownership;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostAccountsTest {

    @Test
    void unknownOwnersAndGroupsAreNamedWithTheirKeyPathAndInheritedOnesOnlyOnce() {
        Ownership defaults = new Ownership("no-such-user-xyz", "root", 0600, 0644);
        Map<String, Ownership> certs = new LinkedHashMap<>();
        certs.put("kubelet", new Ownership("no-such-user-xyz", "root", 0600, 0644)); // inherited: not repeated
        certs.put("etcd", new Ownership("root", "no-such-group-xyz", 0600, 0644));
        CertBundleSettings s = new CertBundleSettings(CertBundleSettings.DEFAULT_SECRETS_DIR, "n1", "k8s",
                CertBundleSettings.DEFAULT_IDENTITIES, CertBundleSettings.DEFAULT_TARGET, defaults, certs, List.of());

        assertEquals(List.of("reconcilers.certBundle.defaults.owner: no user 'no-such-user-xyz' on this host",
                        "reconcilers.certBundle.certs.etcd.group: no group 'no-such-group-xyz' on this host"),
                HostAccounts.problems(s));
    }

    @Test
    void existingAccountsPass() {
        Ownership root = new Ownership("root", "root", 0600, 0644);
        CertBundleSettings s = new CertBundleSettings(CertBundleSettings.DEFAULT_SECRETS_DIR, "n1", "k8s",
                CertBundleSettings.DEFAULT_IDENTITIES, CertBundleSettings.DEFAULT_TARGET, root, Map.of("kubelet", root),
                List.of());
        assertEquals(List.of(), HostAccounts.problems(s));
    }
}
