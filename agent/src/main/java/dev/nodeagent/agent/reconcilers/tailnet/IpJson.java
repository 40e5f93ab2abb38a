package dev.nodeagent.agent.reconcilers.tailnet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.nodeagent.api.json.PlainJson;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * Parses iproute2's JSON output ({@code ip -j link show}, {@code ip -j route get}). Pure; fields iproute2 may
 * omit (gateway, table, prefsrc) come back empty. Malformed output is an {@link IllegalArgumentException} that
 * quotes the start of the text, so a changed iproute2 format is reported rather than misread. Read with
 * {@link PlainJson} (jackson-core only): each entry is a map; one that is not an object counts as an empty one.
 */
public final class IpJson {

    private IpJson() {
    }

    /** One link as {@code ip -j link show dev X} reports it. */
    public record Link(String name, int mtu, String operState, List<String> flags) {

        /** Administratively up ({@code UP} flag). */
        public boolean adminUp() {
            return flags.contains("UP");
        }

        /**
         * Up and able to carry packets: admin up, and the kernel does not say the carrier is gone. Tailscale's tun
         * device reports operstate {@code UNKNOWN}, which counts as up.
         */
        public boolean up() {
            return adminUp() && !flags.contains("NO-CARRIER")
                    && !List.of("DOWN", "LOWERLAYERDOWN", "NOTPRESENT").contains(operState);
        }
    }

    /**
     * The route the kernel picks for one destination, as {@code ip -j route get ADDR} reports it; {@code table}
     * is empty for the main table (iproute2 prints it only for others, e.g. Tailscale's {@code 52}).
     */
    public record Route(String destination, String device, Optional<String> gateway, Optional<String> table,
                        Optional<String> preferredSource) {

        /** {@code via lan0 (gateway 192.168.50.1)}, {@code via tailscale0 (table 52)}. */
        public String describe() {
            List<String> extra = new ArrayList<>();
            gateway.ifPresent(g -> extra.add("gateway " + g));
            table.ifPresent(t -> extra.add("table " + t));
            return "via " + device + (extra.isEmpty() ? "" : " (" + String.join(", ", extra) + ")");
        }
    }

    /** The links in {@code ip -j link show} output. */
    public static List<Link> links(String json) {
        List<Link> out = new ArrayList<>();
        for (Map<?, ?> n : array(json)) {
            String name = required(n, "ifname", json);
            int mtu = whole(n.get("mtu"));
            if (mtu <= 0) {
                throw new IllegalArgumentException("ip link output without an mtu for " + name + ": " + excerpt(json));
            }
            List<String> flags = new ArrayList<>();
            if (n.get("flags") instanceof List<?> fs) {
                fs.forEach(f -> flags.add(text(f)));
            }
            out.add(new Link(name, mtu, n.get("operstate") == null ? "UNKNOWN" : text(n.get("operstate")), List.copyOf(flags)));
        }
        return List.copyOf(out);
    }

    /** A number, or a string holding one, as an int; -1 for anything else. */
    private static int whole(Object v) {
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.strip());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    /** A string as itself, anything else as its JSON. */
    private static String text(Object v) {
        return v instanceof String s ? s : PlainJson.quote(v);
    }

    /** The first (only) route in {@code ip -j route get} output. */
    public static Route route(String json) {
        List<Map<?, ?>> all = array(json);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("ip route get printed no route: " + excerpt(json));
        }
        Map<?, ?> n = all.getFirst();
        return new Route(required(n, "dst", json), required(n, "dev", json), optional(n, "gateway"),
                optional(n, "table"), optional(n, "prefsrc"));
    }

    private static List<Map<?, ?>> array(String json) {
        Object root;
        try {
            root = PlainJson.parse(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not iproute2 JSON: " + excerpt(json));
        }
        if (!(root instanceof List<?> entries)) {
            throw new IllegalArgumentException("not an iproute2 JSON array: " + excerpt(json));
        }
        List<Map<?, ?>> out = new ArrayList<>();
        entries.forEach(e -> out.add(e instanceof Map<?, ?> m ? m : Map.of()));
        return out;
    }

    private static String required(Map<?, ?> n, String field, String json) {
        return optional(n, field).orElseThrow(
                () -> new IllegalArgumentException("iproute2 JSON without \"" + field + "\": " + excerpt(json)));
    }

    private static Optional<String> optional(Map<?, ?> n, String field) {
        Object v = n.get(field);
        if (v == null) {
            return Optional.empty();
        }
        String s = text(v);
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static String excerpt(String s) {
        String t = s == null ? "" : s.strip();
        return t.length() > 120 ? t.substring(0, 120) + "…" : t;
    }
}
