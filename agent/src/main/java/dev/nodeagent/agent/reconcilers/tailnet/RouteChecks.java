package dev.nodeagent.agent.reconcilers.tailnet;

import dev.nodeagent.agent.net.Resolver;
import dev.nodeagent.agent.reconcilers.tailnet.IpJson.Route;
import dev.nodeagent.api.status.Check;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The route checks: which interface the kernel picks for the tailnet range, each control-plane endpoint (must be
 * the tailnet interface) and each same-site peer (must not be). Host names are resolved on every pass; every
 * address a name resolves to must route the right way. Each check also sets its {@code node_agent_route_ok} value.
 */
final class RouteChecks {

    private final KernelNet net;
    private final Resolver resolver;
    private final String iface;

    RouteChecks(KernelNet net, Resolver resolver, String iface) {
        this.net = net;
        this.resolver = resolver;
        this.iface = iface;
    }

    void tailnetRange(Cidr cidr, Findings f, Map<List<String>, Double> routeOk) {
        String name = "tailnet route " + cidr.text();
        String probe = cidr.probeAddress();
        String shown = probe + " (in " + cidr.text() + ")";
        boolean ok;
        String msg;
        try {
            Route r = net.routeTo(probe);
            ok = r.device().equals(iface);
            msg = ok ? shown + " routes " + r.describe() : shown + " routes " + r.describe() + ", not " + iface;
        } catch (IOException e) {
            ok = false;
            msg = shown + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        routeOk.put(List.of(cidr.text(), iface), ok ? 1.0 : 0.0);
        f.add(Check.failIfNot(ok, name, msg), "TailnetRouteMissing");
    }

    void endpoint(String endpoint, Findings f, Map<List<String>, Double> routeOk) {
        Result r = check(endpoint, true);
        routeOk.put(List.of(endpoint, iface), r.ok ? 1.0 : 0.0);
        f.add(Check.failIfNot(r.ok, "route to " + endpoint, r.message), "EndpointNotViaTailnet");
    }

    void sameSitePeer(String peer, Findings f, Map<List<String>, Double> routeOk) {
        Result r = check(peer, false);
        routeOk.put(List.of(peer, "!" + iface), r.ok ? 1.0 : 0.0);
        f.add(Check.failIfNot(r.ok, "same-site peer " + peer, r.message), "PeerViaTailnet");
    }

    private record Result(boolean ok, String message) {
    }

    /** {@code viaTailnet}: whether the destination must route via the tailnet interface or must not. */
    private Result check(String host, boolean viaTailnet) {
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return new Result(false, "cannot resolve " + host);
        }
        if (addresses.isEmpty()) {
            return new Result(false, "cannot resolve " + host);
        }
        List<String> good = new ArrayList<>();
        for (InetAddress a : addresses) {
            String ip = a.getHostAddress();
            String shown = ip.equals(host) ? host : host + " (" + ip + ")";
            String prefix = viaTailnet ? "" : "same-site peer ";
            Route route;
            try {
                route = net.routeTo(ip);
            } catch (IOException e) {
                return new Result(false, prefix + shown + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            boolean onTailnet = route.device().equals(iface);
            if (viaTailnet && !onTailnet) {
                return new Result(false, shown + " routes " + route.describe() + ", not " + iface);
            }
            if (!viaTailnet && onTailnet) {
                return new Result(false, prefix + shown + " routes " + route.describe()
                        + "; same-site traffic must stay on the LAN (a Tailscale subnet route covers it?)");
            }
            good.add(shown + " " + route.describe());
        }
        return new Result(true, (viaTailnet ? "" : "same-site peer ") + String.join(", ", good));
    }
}
