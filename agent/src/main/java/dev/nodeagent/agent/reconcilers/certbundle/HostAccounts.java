package dev.nodeagent.agent.reconcilers.certbundle;

import dev.nodeagent.agent.reconcilers.certbundle.CertBundleSettings.Ownership;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cert owners and groups that do not exist on this host, as {@code check-config} problems naming the key path
 * and value. Not part of parsing: the config is valid anywhere, but a missing user would only surface at write time.
 */
public final class HostAccounts {

    private static final String PREFIX = "reconcilers.certBundle.";

    private HostAccounts() {
    }

    public static List<String> problems(CertBundleSettings s) {
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        List<String> out = new ArrayList<>();
        check(users, PREFIX + "defaults", s.defaults(), Ownership.DEFAULT, out);
        for (Map.Entry<String, Ownership> e : s.certs().entrySet()) {
            // A cert inherits the defaults' owner/group: report only what it sets itself, once.
            check(users, PREFIX + "certs." + e.getKey(), e.getValue(), s.defaults(), out);
        }
        return out;
    }

    private static void check(UserPrincipalLookupService users, String key, Ownership o, Ownership inherited,
                              List<String> out) {
        if (o.owner() != null && !o.owner().equals(inherited.owner())) {
            try {
                users.lookupPrincipalByName(o.owner());
            } catch (IOException e) {
                out.add(key + ".owner: no user '" + o.owner() + "' on this host");
            }
        }
        if (o.group() != null && !o.group().equals(inherited.group())) {
            try {
                users.lookupPrincipalByGroupName(o.group());
            } catch (IOException e) {
                out.add(key + ".group: no group '" + o.group() + "' on this host");
            }
        }
    }
}
