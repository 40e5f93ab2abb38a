package dev.nodeagent.bundle;

import java.util.List;

/**
 * What one kind of cert is for: the subject Kubernetes expects, whether its consumer uses it to serve TLS, to
 * authenticate as a client, or only to sign ({@code service-account}). The same table drives issuing
 * ({@code agentctl bundle create}) and validation, so they cannot disagree.
 *
 * @param commonName    the expected CN; {@code <host>} is replaced by the host/node name
 * @param organizations the expected O values (Kubernetes groups), in order
 */
public record CertProfile(String cert, String commonName, List<String> organizations, boolean server,
                          boolean client, boolean signingOnly) {

    public CertProfile {
        organizations = List.copyOf(organizations);
    }

    /** The CN for {@code host}. */
    public String commonNameFor(String host) {
        return commonName.replace("<host>", host);
    }
}
