package dev.nodeagent.agent.reconcilers.tailnet;

import dev.nodeagent.agent.host.CommandRunner;
import dev.nodeagent.agent.reconcilers.tailnet.IpJson.Link;
import dev.nodeagent.agent.reconcilers.tailnet.IpJson.Route;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Asks the kernel (through iproute2, in the agent's own network namespace) about links and routes. Routes come
 * from {@code ip route get}, i.e. the kernel's own lookup with every {@code ip rule} applied: Tailscale puts its
 * routes in table 52 behind rule priority 5270, which the main table ({@code /proc/net/route}) never shows.
 */
public class KernelNet {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final CommandRunner commands;

    public KernelNet(CommandRunner commands) {
        this.commands = commands;
    }

    /** The link named {@code name}, or empty when there is none. */
    public Optional<Link> link(String name) throws IOException, InterruptedException {
        CommandRunner.Result r = ip(List.of("ip", "-j", "link", "show", "dev", name));
        if (!r.ok()) {
            if (r.stderr().contains("does not exist") || r.stderr().contains("Cannot find device")) {
                return Optional.empty();
            }
            throw failure("ip link show dev " + name, r);
        }
        return IpJson.links(r.stdout()).stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The route the kernel takes to {@code address}; an exception carries the kernel's answer when there is none. */
    public Route routeTo(String address) throws IOException, InterruptedException {
        CommandRunner.Result r = ip(List.of("ip", "-j", "route", "get", address));
        if (!r.ok()) {
            throw failure("ip route get " + address, r);
        }
        return IpJson.route(r.stdout());
    }

    private CommandRunner.Result ip(List<String> argv) throws IOException, InterruptedException {
        try {
            return commands.run(argv, TIMEOUT);
        } catch (IOException e) {
            throw new IOException("cannot run ip (iproute2 installed?): " + e.getMessage(), e);
        }
    }

    private static IOException failure(String what, CommandRunner.Result r) {
        if (r.timedOut()) {
            return new IOException(what + " did not answer within " + TIMEOUT.toSeconds() + "s");
        }
        String err = r.stderr().strip().replaceFirst("^RTNETLINK answers: ", "");
        return new IOException(what + ": " + (err.isEmpty() ? "exit " + r.exitCode() : err));
    }
}
