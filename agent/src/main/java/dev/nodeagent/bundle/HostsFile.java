package dev.nodeagent.bundle;

import dev.nodeagent.age.AgeException;
import dev.nodeagent.age.AgeRecipient;
import dev.nodeagent.age.Recipients;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The operator's {@code hosts.yaml}: what {@code agentctl bundle create|renew} issues. Every error names the file
 * and the field ({@code hosts[1].sshKey}); all problems are collected and reported together.
 * <pre>
 * ca: k8s                       # CA name, the file prefix (default k8s)
 * caCommonName: k8s-ca          # CN of a new CA (default "&lt;ca&gt;-ca")
 * serviceCIDR: 10.96.0.0/12     # required with a control plane: its first address is an apiserver SAN
 * clusterDomain: cluster.local  # apiserver SAN kubernetes.default.svc.&lt;clusterDomain&gt;
 * keyAlgorithm: ecdsa-p256      # or rsa-2048, rsa-4096
 * caValidityDays: 3650
 * leafValidityDays: 365
 * hosts:
 *   - name: cp1
 *     role: control-plane       # or worker
 *     sshKey: "ssh-ed25519 AAAA… comment"   # or sshKeyFile: keys/cp1.pub (relative to hosts.yaml)
 *     sans: [100.64.0.1, cp1.example.ts.net]
 *     certs:                    # per-cert settings for this host (see CertSettings), over the top-level ones
 *       etcd-server: {commonName: etcd}
 * certs:                        # per-cert settings for every host
 *   kube-apiserver-kubelet-client: {organizations: []}
 * </pre>
 * Renew keeps each existing cert's subject, SANs, usages, key type/size and key format; what {@code certs} states
 * replaces that field (and, on create, the profile's default).
 */
public record HostsFile(String ca, String caCommonName, String serviceCidr, String firstServiceIp,
                        String clusterDomain, CertIssuer.KeyAlgorithm keyAlgorithm, int caValidityDays,
                        int leafValidityDays, List<Host> hosts, Map<String, CertSettings> certs) {

    /**
     * One host: its name (also its {@code derived/} dir), role, age recipient (its SSH host key), extra SANs and
     * its own per-cert settings.
     */
    public record Host(String name, boolean controlPlane, AgeRecipient recipient, List<String> sans,
                       Map<String, CertSettings> certs) {
        public Host {
            sans = List.copyOf(sans);
            certs = Map.copyOf(certs);
        }

        public Host(String name, boolean controlPlane, AgeRecipient recipient, List<String> sans) {
            this(name, controlPlane, recipient, sans, Map.of());
        }
    }

    public HostsFile(String ca, String caCommonName, String serviceCidr, String firstServiceIp, String clusterDomain,
                     CertIssuer.KeyAlgorithm keyAlgorithm, int caValidityDays, int leafValidityDays, List<Host> hosts) {
        this(ca, caCommonName, serviceCidr, firstServiceIp, clusterDomain, keyAlgorithm, caValidityDays, leafValidityDays,
                hosts, Map.of());
    }

    /** What hosts.yaml states about {@code cert} on {@code host}: the host's settings over the top-level ones. */
    public CertSettings settingsFor(Host host, String cert) {
        return certs.getOrDefault(cert, CertSettings.NONE).overriddenBy(host.certs().getOrDefault(cert, CertSettings.NONE));
    }

    private static final Set<String> TOP_KEYS = Set.of("ca", "caCommonName", "serviceCIDR", "clusterDomain",
            "keyAlgorithm", "caValidityDays", "leafValidityDays", "hosts", "certs");
    private static final Set<String> HOST_KEYS = Set.of("name", "role", "sshKey", "sshKeyFile", "sans", "certs");
    private static final String NAME = "[a-z0-9]([a-z0-9.-]*[a-z0-9])?";

    public HostsFile {
        hosts = List.copyOf(hosts);
        certs = Map.copyOf(certs);
    }

    /** @throws BundleException {@code HostsFileInvalid} listing every problem as {@code file: field: message} */
    public static HostsFile load(Path file) throws BundleException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BundleException("HostsFileInvalid", file.toString(), "cannot read " + file + ": " + e.getMessage(), e);
        }
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(text);
        } catch (RuntimeException e) {
            throw new BundleException("HostsFileInvalid", file.toString(), file + ": not valid YAML: " + e.getMessage());
        }
        return parse(root, file);
    }

    static HostsFile parse(Object root, Path file) throws BundleException {
        Problems p = new Problems(file);
        Map<String, Object> top = p.map(root, "(top level)");
        p.unknownKeys(top, TOP_KEYS, "");
        String ca = p.string(top, "ca", "", "k8s");
        if (!ca.matches(NAME)) {
            p.add("ca", "'" + ca + "' is not a valid CA name (lower-case letters, digits, '-', '.')");
        }
        String caCn = p.string(top, "caCommonName", "", ca + "-ca");
        String domain = p.string(top, "clusterDomain", "", "cluster.local");
        String alg = p.string(top, "keyAlgorithm", "", "ecdsa-p256");
        CertIssuer.KeyAlgorithm keyAlg = keyAlgorithm(alg, "keyAlgorithm", p);
        int caDays = p.positiveInt(top, "caValidityDays", 3650);
        int leafDays = p.positiveInt(top, "leafValidityDays", 365);
        List<Host> hosts = new ArrayList<>();
        Object list = top.get("hosts");
        if (!(list instanceof List<?> items) || items.isEmpty()) {
            p.add("hosts", "a non-empty list of hosts is required");
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                Host h = host(items.get(i), "hosts[" + i + "]", file, p);
                if (h != null && !seen.add(h.name())) {
                    p.add("hosts[" + i + "].name", "duplicate host name '" + h.name() + "'");
                } else if (h != null) {
                    hosts.add(h);
                }
            }
        }
        String cidr = p.string(top, "serviceCIDR", "", null);
        String firstIp = null;
        if (cidr != null) {
            firstIp = firstAddress(cidr);
            if (firstIp == null) {
                p.add("serviceCIDR", "'" + cidr + "' is not a CIDR like 10.96.0.0/12");
            }
        } else if (hosts.stream().anyMatch(Host::controlPlane)) {
            p.add("serviceCIDR", "required when a host has role control-plane (its first address is an apiserver SAN)");
        }
        Map<String, CertSettings> certs = CertSettings.parseAll(top.get("certs"), "certs", p);
        p.throwIfAny();
        return new HostsFile(ca, caCn, cidr, firstIp, domain, keyAlg, caDays, leafDays, hosts, certs);
    }

    static CertIssuer.KeyAlgorithm keyAlgorithm(String alg, String field, Problems p) {
        return switch (alg) {
            case "ecdsa-p256" -> CertIssuer.KeyAlgorithm.ECDSA_P256;
            case "rsa-2048" -> CertIssuer.KeyAlgorithm.RSA_2048;
            case "rsa-4096" -> CertIssuer.KeyAlgorithm.RSA_4096;
            default -> {
                p.add(field, "'" + alg + "' is not one of ecdsa-p256, rsa-2048, rsa-4096");
                yield CertIssuer.KeyAlgorithm.ECDSA_P256;
            }
        };
    }

    /** An IP literal or a DNS name (a leading {@code *.} allowed). */
    static boolean validSan(String v) {
        return CertIssuer.isIpLiteral(v) || v.matches("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    }

    private static Host host(Object item, String at, Path file, Problems p) {
        Map<String, Object> m = p.map(item, at);
        if (m.isEmpty()) {
            return null;
        }
        p.unknownKeys(m, HOST_KEYS, at + ".");
        String name = p.string(m, "name", at + ".", null);
        if (name == null) {
            p.add(at + ".name", "required");
        } else if (!name.matches(NAME)) {
            p.add(at + ".name", "'" + name + "' is not a valid host name (lower-case letters, digits, '-', '.')");
        }
        String role = p.string(m, "role", at + ".", "worker");
        if (!role.equals("worker") && !role.equals("control-plane")) {
            p.add(at + ".role", "'" + role + "' is not worker or control-plane");
        }
        String key = p.string(m, "sshKey", at + ".", null);
        String keyFile = p.string(m, "sshKeyFile", at + ".", null);
        AgeRecipient recipient = null;
        String field = at + (key != null ? ".sshKey" : ".sshKeyFile");
        if (key != null && keyFile != null) {
            p.add(at, "set sshKey or sshKeyFile, not both");
        } else if (key == null && keyFile == null) {
            p.add(at + ".sshKey", "required (or sshKeyFile): the host's SSH public key, e.g. /etc/ssh/ssh_host_ed25519_key.pub");
        } else {
            try {
                if (keyFile != null) {
                    Path kf = file.toAbsolutePath().getParent().resolve(keyFile);
                    key = Files.readString(kf, StandardCharsets.UTF_8).lines()
                            .filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElse("");
                }
                recipient = Recipients.parse(key);
            } catch (AgeException e) {
                p.add(field, e.getMessage());
            } catch (IOException e) {
                p.add(field, "cannot read " + keyFile + ": " + e.getMessage());
            }
        }
        List<String> sans = new ArrayList<>();
        Object s = m.get("sans");
        if (s instanceof List<?> l) {
            for (int j = 0; j < l.size(); j++) {
                String v = String.valueOf(l.get(j));
                if (!validSan(v)) {
                    p.add(at + ".sans[" + j + "]", "'" + v + "' is neither an IP address nor a DNS name");
                }
                sans.add(v);
            }
        } else if (s != null) {
            p.add(at + ".sans", "must be a list of IP addresses and DNS names");
        }
        Map<String, CertSettings> certs = CertSettings.parseAll(m.get("certs"), at + ".certs", p);
        return name == null || recipient == null ? null : new Host(name, role.equals("control-plane"), recipient, sans, certs);
    }

    /** The first usable address of a CIDR (network + 1), e.g. 10.96.0.1 for 10.96.0.0/12; null if malformed. */
    static String firstAddress(String cidr) {
        String[] parts = cidr.split("/");
        if (parts.length != 2 || !CertIssuer.isIpLiteral(parts[0]) || !parts[1].matches("\\d{1,3}")) {
            return null;
        }
        try {
            byte[] addr = InetAddress.getByName(parts[0]).getAddress(); // a literal: no DNS lookup
            int bits = addr.length * 8;
            int prefix = Integer.parseInt(parts[1]);
            if (prefix > bits - 1) {
                return null;
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .shiftRight(prefix).not();
            BigInteger net = new BigInteger(1, addr).and(mask).add(BigInteger.ONE);
            byte[] raw = net.toByteArray();
            byte[] out = new byte[addr.length];
            System.arraycopy(raw, Math.max(0, raw.length - out.length), out, Math.max(0, out.length - raw.length),
                    Math.min(raw.length, out.length));
            return InetAddress.getByAddress(out).getHostAddress();
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
    }

    /** Collects problems as "field: message". */
    static final class Problems {
        private final Path file;
        private final List<String> list = new ArrayList<>();

        Problems(Path file) {
            this.file = file;
        }

        void add(String field, String message) {
            list.add(field + ": " + message);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(Object o, String at) {
            if (o instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
            add(at, "must be a mapping");
            return new LinkedHashMap<>();
        }

        void unknownKeys(Map<String, Object> m, Set<String> known, String prefix) {
            m.keySet().stream().filter(k -> !known.contains(String.valueOf(k)))
                    .forEach(k -> add(prefix + k, "unknown key (known: " + String.join(", ", known.stream().sorted().toList()) + ")"));
        }

        String string(Map<String, Object> m, String key, String prefix, String def) {
            Object v = m.get(key);
            if (v == null) {
                return def;
            }
            if (v instanceof Map || v instanceof List) {
                add(prefix + key, "must be a string");
                return def;
            }
            return String.valueOf(v).strip();
        }

        /** A list of strings, or null when absent. */
        List<String> strings(Map<String, Object> m, String key, String prefix) {
            Object v = m.get(key);
            if (v == null) {
                return null;
            }
            if (!(v instanceof List<?> l) || l.stream().anyMatch(x -> x instanceof Map || x instanceof List || x == null)) {
                add(prefix + key, "must be a list of strings");
                return null;
            }
            return l.stream().map(x -> String.valueOf(x).strip()).toList();
        }

        int positiveInt(Map<String, Object> m, String key, int def) {
            Object v = m.get(key);
            if (v == null) {
                return def;
            }
            if (v instanceof Integer i && i > 0) {
                return i;
            }
            add(key, "must be a positive whole number of days");
            return def;
        }

        void throwIfAny() throws BundleException {
            if (!list.isEmpty()) {
                throw new BundleException("HostsFileInvalid", file.toString(),
                        file + ": " + String.join("; " + file + ": ", list));
            }
        }
    }
}
