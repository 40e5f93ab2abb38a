package dev.nodeagent.agent.reconcilers.tailscalestatus;

import dev.nodeagent.api.json.PlainJson;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/**
 * The parts of {@code tailscale status --json} (Go's {@code ipnstate.Status}) the agent uses: {@code BackendState},
 * {@code Self} and each {@code Peer[*]} with {@code HostName}, {@code DNSName}, {@code TailscaleIPs}, {@code Online},
 * {@code CurAddr} (the direct UDP endpoint; empty while relayed or idle), {@code Relay} (home DERP region code) and
 * {@code KeyExpiry} (RFC 3339; absent when expiry is disabled). Unknown fields are ignored, so newer CLIs parse.
 */
record TailscaleStatus(String backendState, Node self, List<Node> peers) {

    record Node(String hostName, String dnsName, List<String> tailscaleIps, boolean online, String curAddr,
                String relay, Optional<Instant> keyExpiry) {

        boolean direct() {
            return !curAddr.isEmpty();
        }

        /** "cp1" for "cp1.tail1234.ts.net." or a host name. */
        String shortName() {
            String d = dnsName.endsWith(".") ? dnsName.substring(0, dnsName.length() - 1) : dnsName;
            return d.isEmpty() ? hostName : d.split("\\.", 2)[0];
        }
    }

    static TailscaleStatus parse(String json) throws IOException {
        Object root;
        try {
            root = PlainJson.parse(json);
        } catch (JacksonException e) {
            throw new IOException("tailscale status --json printed no valid JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof Map<?, ?> m) || !(m.get("BackendState") instanceof String state)) {
            throw new IOException("tailscale status --json has no BackendState");
        }
        Node self = m.get("Self") instanceof Map<?, ?> s ? node(s) : null;
        List<Node> peers = new ArrayList<>();
        if (m.get("Peer") instanceof Map<?, ?> all) {
            for (Object p : all.values()) {
                if (p instanceof Map<?, ?> pm) {
                    peers.add(node(pm));
                }
            }
        }
        return new TailscaleStatus(state, self, List.copyOf(peers));
    }

    private static Node node(Map<?, ?> n) throws IOException {
        List<String> ips = new ArrayList<>();
        if (n.get("TailscaleIPs") instanceof List<?> l) {
            l.forEach(x -> ips.add(String.valueOf(x)));
        }
        Optional<Instant> expiry = Optional.empty();
        if (n.get("KeyExpiry") instanceof String s && !s.isEmpty()) {
            try {
                expiry = Optional.of(Instant.parse(s));
            } catch (DateTimeParseException e) {
                throw new IOException("tailscale status: KeyExpiry '" + s + "' is not an RFC 3339 time");
            }
        }
        return new Node(text(n.get("HostName")), text(n.get("DNSName")), List.copyOf(ips),
                Boolean.TRUE.equals(n.get("Online")), text(n.get("CurAddr")), text(n.get("Relay")), expiry);
    }

    private static String text(Object o) {
        return o instanceof String s ? s : "";
    }
}
