package dev.nodeagent.agent.reconcilers.nodeip;

import dev.nodeagent.api.json.PlainJson;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.core.JacksonException;

/**
 * Calico's IP autodetection methods ({@code IP_AUTODETECTION_METHOD}), pure: given the host's interfaces and
 * addresses in kernel order ({@code ip -j addr show}), pick one global-scope address of the family.
 * <ul>
 *   <li>{@code first-found}: the first address of the first interface not in Calico's default exclude list
 *       (docker, cbr, dummy, virbr, lxcbr, veth, lo, cali, tunl, flannel, kube-ipvs, cni, vxlan.calico, wireguard.cali,
 *       nodelocaldns);</li>
 *   <li>{@code interface=REGEX[,REGEX]}: the first address on the first interface whose name matches;</li>
 *   <li>{@code skip-interface=REGEX[,REGEX]}: first-found, also skipping matching interfaces;</li>
 *   <li>{@code cidr=CIDR[,CIDR]}: the first address inside one of the ranges;</li>
 *   <li>{@code can-reach=DEST}: the source address the kernel would use towards DEST (asked with
 *       {@code ip route get}, which sends nothing) — see {@link NodeIpReconciler}.</li>
 * </ul>
 */
final class AddressDetection {

    static final List<String> DEFAULT_EXCLUDES = List.of("^docker.*", "^cbr.*", "^dummy.*", "^virbr.*", "^lxcbr.*",
            "^veth.*", "^lo$", "^cali.*", "^tunl.*", "^flannel.*", "^kube-ipvs.*", "^cni.*", "^vxlan.calico.*",
            "^vxlan-v6.calico.*", "^wireguard.cali.*", "^wg-v6.cali.*", "^nodelocaldns.*");

    /** One interface and its global addresses of either family, in kernel order. */
    record Iface(String name, List<InetAddress> addresses) {
    }

    /** A parsed method. */
    sealed interface Method {
        record FirstFound() implements Method { }
        record Interfaces(List<Pattern> patterns) implements Method { }
        record SkipInterfaces(List<Pattern> patterns) implements Method { }
        record Cidrs(List<Range> ranges) implements Method { }
        record CanReach(String destination) implements Method { }
    }

    /** An address range; {@link #contains} compares the masked bytes. */
    record Range(String text, byte[] network, int prefix) {
        static Optional<Range> parse(String text) {
            String[] p = text.strip().split("/", 2);
            try {
                if (p.length != 2 || !p[0].matches("[0-9A-Fa-f:.]+")) {
                    return Optional.empty();
                }
                byte[] net = InetAddress.getByName(p[0]).getAddress();
                int prefix = Integer.parseInt(p[1]);
                return prefix < 0 || prefix > net.length * 8 ? Optional.empty()
                        : Optional.of(new Range(text.strip(), mask(net, prefix), prefix));
            } catch (UnknownHostException | NumberFormatException e) {
                return Optional.empty();
            }
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            return b.length == network.length && Arrays.equals(mask(b, prefix), network);
        }

        private static byte[] mask(byte[] in, int prefix) {
            byte[] b = in.clone();
            for (int i = 0; i < b.length; i++) {
                int keep = Math.max(0, Math.min(8, prefix - i * 8));
                b[i] &= (byte) (0xff << (8 - keep));
            }
            return b;
        }
    }

    private AddressDetection() {
    }

    /** Parses a method; the error names what is wrong. */
    static Method parse(String text) throws IllegalArgumentException {
        String t = text.strip();
        if (t.equals("first-found")) {
            return new Method.FirstFound();
        }
        int eq = t.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("'" + t + "' is not first-found, interface=, skip-interface=, cidr= or can-reach=");
        }
        String kind = t.substring(0, eq);
        List<String> values = Arrays.stream(t.substring(eq + 1).split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        if (values.isEmpty()) {
            throw new IllegalArgumentException(kind + "= needs a value");
        }
        return switch (kind) {
            case "interface" -> new Method.Interfaces(patterns(values));
            case "skip-interface" -> new Method.SkipInterfaces(patterns(values));
            case "cidr" -> {
                List<Range> ranges = new ArrayList<>();
                for (String v : values) {
                    ranges.add(Range.parse(v).orElseThrow(() -> new IllegalArgumentException("'" + v + "' is not a CIDR")));
                }
                yield new Method.Cidrs(List.copyOf(ranges));
            }
            case "can-reach" -> new Method.CanReach(values.getFirst());
            default -> throw new IllegalArgumentException("unknown method '" + kind + "'");
        };
    }

    private static List<Pattern> patterns(List<String> values) {
        List<Pattern> out = new ArrayList<>();
        for (String v : values) {
            try {
                out.add(Pattern.compile(v));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + v + "' is not a regular expression: " + e.getDescription());
            }
        }
        return List.copyOf(out);
    }

    /** Picks an address with a local method (not can-reach); empty when nothing fits. */
    static Optional<InetAddress> pick(Method method, List<Iface> ifaces, boolean ipv6) {
        List<Pattern> excludes = DEFAULT_EXCLUDES.stream().map(Pattern::compile).toList();
        for (Iface i : ifaces) {
            boolean eligible = switch (method) {
                case Method.FirstFound f -> !matches(excludes, i.name());
                case Method.Interfaces m -> matches(m.patterns(), i.name());
                case Method.SkipInterfaces m -> !matches(excludes, i.name()) && !matches(m.patterns(), i.name());
                case Method.Cidrs c -> true;
                case Method.CanReach c -> throw new IllegalArgumentException("can-reach needs the kernel's route");
            };
            if (!eligible) {
                continue;
            }
            for (InetAddress a : i.addresses()) {
                if ((a instanceof Inet4Address) == ipv6) {
                    continue;
                }
                if (method instanceof Method.Cidrs c && c.ranges().stream().noneMatch(r -> r.contains(a))) {
                    continue;
                }
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    private static boolean matches(List<Pattern> patterns, String name) {
        // Calico (Go regexp.MatchString) matches anywhere unless anchored.
        return patterns.stream().anyMatch(p -> p.matcher(name).find());
    }

    /** {@code ip -j addr show}: interfaces in order with their global-scope addresses. */
    static List<Iface> parseAddrJson(String json) throws IOException {
        Object root;
        try {
            root = PlainJson.parse(json);
        } catch (JacksonException e) {
            throw new IOException("ip -j addr show printed no valid JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof List<?> list)) {
            throw new IOException("ip -j addr show printed no list");
        }
        List<Iface> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("ifname") instanceof String name)) {
                continue;
            }
            List<InetAddress> addrs = new ArrayList<>();
            if (m.get("addr_info") instanceof List<?> infos) {
                for (Object io : infos) {
                    if (io instanceof Map<?, ?> info && "global".equals(info.get("scope"))
                            && info.get("local") instanceof String local) {
                        addrs.add(InetAddress.getByName(local));
                    }
                }
            }
            out.add(new Iface(name, List.copyOf(addrs)));
        }
        return List.copyOf(out);
    }
}
