package dev.nodeagent.agent.reconcilers.tailnet;

import dev.nodeagent.agent.host.CommandRunner;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A stand-in for iproute2: links and routes as captured {@code ip -j} JSON, set per test. */
final class FakeIp extends CommandRunner {

    final Map<String, String> links = new HashMap<>();
    final Map<String, String> routes = new HashMap<>();

    FakeIp link(String name, int mtu, String operstate, String... flags) {
        links.put(name, "[{\"ifindex\":3,\"ifname\":\"" + name + "\",\"flags\":[" + String.join(",",
                java.util.Arrays.stream(flags).map(f -> "\"" + f + "\"").toList()) + "],\"mtu\":" + mtu
                + ",\"operstate\":\"" + operstate + "\"}]");
        return this;
    }

    FakeIp up(String name, int mtu) {
        return link(name, mtu, "UP", "BROADCAST", "MULTICAST", "UP", "LOWER_UP");
    }

    FakeIp route(String dst, String dev, String gateway, String table) {
        routes.put(dst, "[{\"dst\":\"" + dst + "\"" + (gateway == null ? "" : ",\"gateway\":\"" + gateway + "\"")
                + ",\"dev\":\"" + dev + "\"" + (table == null ? "" : ",\"table\":\"" + table + "\"") + ",\"flags\":[]}]");
        return this;
    }

    @Override
    public Result run(List<String> command, Duration timeout) {
        if (command.subList(0, 4).equals(List.of("ip", "-j", "link", "show"))) {
            String name = command.getLast();
            String json = links.get(name);
            return json == null ? new Result(1, "", "Device \"" + name + "\" does not exist.\n", false)
                    : new Result(0, json, "", false);
        }
        if (command.subList(0, 4).equals(List.of("ip", "-j", "route", "get"))) {
            String json = routes.get(command.getLast());
            return json == null ? new Result(2, "", "RTNETLINK answers: Network is unreachable\n", false)
                    : new Result(0, json, "", false);
        }
        throw new AssertionError("unexpected command " + command);
    }
}
