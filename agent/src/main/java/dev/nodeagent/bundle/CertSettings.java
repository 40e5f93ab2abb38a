package dev.nodeagent.bundle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code hosts.yaml} states about one cert ({@code certs.<cert>} at the top level for every host, or under a
 * host for that host only; the host's wins field by field). A null field is not stated: renew keeps what the
 * existing cert has, create uses the profile's default. A stated field replaces, never merges:
 * {@code sans: [cp1, 127.0.0.1]} is the whole SAN list.
 * <pre>
 * certs:
 *   etcd-server:
 *     commonName: etcd
 *     organizations: [DucksNest]
 *     sans: [etcd, cp1, localhost, 127.0.0.1]
 *     keyUsages: [digitalSignature, keyEncipherment]
 *     extendedKeyUsages: [serverAuth, clientAuth]
 *     keyAlgorithm: rsa-2048            # ecdsa-p256, rsa-2048, rsa-4096
 *     keyFormat: pkcs1                  # pkcs8, pkcs1 (RSA), sec1 (EC)
 * </pre>
 */
public record CertSettings(String commonName, List<String> organizations, List<String> sans, List<String> keyUsages,
                           List<String> extendedKeyUsages, CertIssuer.KeyAlgorithm keyAlgorithm, KeyFormat keyFormat) {

    public static final CertSettings NONE = new CertSettings(null, null, null, null, null, null, null);

    /** keyUsage bit names (RFC 5280 order) → Bouncy Castle's KeyUsage bits. */
    static final Map<String, Integer> KEY_USAGES = orderedMap(
            "digitalSignature", 1 << 7, "nonRepudiation", 1 << 6, "keyEncipherment", 1 << 5, "dataEncipherment", 1 << 4,
            "keyAgreement", 1 << 3, "keyCertSign", 1 << 2, "cRLSign", 1 << 1, "encipherOnly", 1, "decipherOnly", 1 << 15);
    /** extendedKeyUsage names → OIDs; a dotted OID is accepted as well. */
    static final Map<String, String> EXTENDED_KEY_USAGES = orderedMap(
            "serverAuth", "1.3.6.1.5.5.7.3.1", "clientAuth", "1.3.6.1.5.5.7.3.2", "codeSigning", "1.3.6.1.5.5.7.3.3",
            "emailProtection", "1.3.6.1.5.5.7.3.4", "timeStamping", "1.3.6.1.5.5.7.3.8", "OCSPSigning", "1.3.6.1.5.5.7.3.9");

    private static final Set<String> KEYS = Set.of("commonName", "organizations", "sans", "keyUsages", "extendedKeyUsages",
            "keyAlgorithm", "keyFormat");

    public CertSettings {
        organizations = organizations == null ? null : List.copyOf(organizations);
        sans = sans == null ? null : List.copyOf(sans);
        keyUsages = keyUsages == null ? null : List.copyOf(keyUsages);
        extendedKeyUsages = extendedKeyUsages == null ? null : List.copyOf(extendedKeyUsages);
    }

    /** These settings with every field {@code over} states taken from it. */
    public CertSettings overriddenBy(CertSettings over) {
        return new CertSettings(pick(over.commonName, commonName), pick(over.organizations, organizations),
                pick(over.sans, sans), pick(over.keyUsages, keyUsages), pick(over.extendedKeyUsages, extendedKeyUsages),
                pick(over.keyAlgorithm, keyAlgorithm), pick(over.keyFormat, keyFormat));
    }

    private static <T> T pick(T a, T b) {
        return a != null ? a : b;
    }

    /** A {@code certs:} mapping at {@code at} ("certs" or "hosts[0].certs"): cert name → settings. */
    static Map<String, CertSettings> parseAll(Object node, String at, HostsFile.Problems p) {
        Map<String, CertSettings> out = new TreeMap<>();
        if (node == null) {
            return out;
        }
        Map<String, Object> m = p.map(node, at);
        for (var e : m.entrySet()) {
            String cert = String.valueOf(e.getKey());
            String field = at + "." + cert;
            if (CertProfiles.byName(cert).filter(pr -> !pr.signingOnly()).isEmpty()) {
                p.add(field, "unknown cert (known: " + String.join(", ", CertProfiles.forRole(true).stream()
                        .filter(pr -> !pr.signingOnly()).map(CertProfile::cert).sorted().toList()) + ")");
                continue;
            }
            out.put(cert, parse(e.getValue(), field, p));
        }
        return out;
    }

    private static CertSettings parse(Object node, String at, HostsFile.Problems p) {
        Map<String, Object> m = p.map(node, at);
        p.unknownKeys(m, KEYS, at + ".");
        String prefix = at + ".";
        String cn = p.string(m, "commonName", prefix, null);
        List<String> orgs = p.strings(m, "organizations", prefix);
        List<String> sans = p.strings(m, "sans", prefix);
        if (sans != null) {
            for (int i = 0; i < sans.size(); i++) {
                if (!HostsFile.validSan(sans.get(i))) {
                    p.add(prefix + "sans[" + i + "]", "'" + sans.get(i) + "' is neither an IP address nor a DNS name");
                }
            }
        }
        List<String> ku = p.strings(m, "keyUsages", prefix);
        if (ku != null) {
            ku.stream().filter(u -> !KEY_USAGES.containsKey(u)).forEach(u -> p.add(prefix + "keyUsages",
                    "'" + u + "' is not one of " + String.join(", ", KEY_USAGES.keySet())));
        }
        List<String> eku = p.strings(m, "extendedKeyUsages", prefix);
        if (eku != null) {
            eku.stream().filter(u -> !EXTENDED_KEY_USAGES.containsKey(u) && !u.matches("[0-2](\\.\\d+)+"))
                    .forEach(u -> p.add(prefix + "extendedKeyUsages", "'" + u + "' is not one of "
                            + String.join(", ", EXTENDED_KEY_USAGES.keySet()) + " or a dotted OID"));
        }
        String alg = p.string(m, "keyAlgorithm", prefix, null);
        CertIssuer.KeyAlgorithm keyAlg = alg == null ? null : HostsFile.keyAlgorithm(alg, prefix + "keyAlgorithm", p);
        String fmt = p.string(m, "keyFormat", prefix, null);
        KeyFormat format = null;
        if (fmt != null) {
            format = KeyFormat.named(fmt).orElse(null);
            if (format == null) {
                p.add(prefix + "keyFormat", "'" + fmt + "' is not one of pkcs8, pkcs1, sec1");
            } else if (keyAlg != null && !format.fits(keyAlg == CertIssuer.KeyAlgorithm.ECDSA_P256 ? "EC" : "RSA")) {
                p.add(prefix + "keyFormat", fmt + " cannot hold a " + alg + " key");
            }
        }
        return new CertSettings(cn, orgs, sans, ku, eku, keyAlg, format);
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> orderedMap(Object... kv) {
        Map<String, V> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (V) kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** For messages: the stated fields only. */
    @Override
    public String toString() {
        List<String> f = new ArrayList<>();
        if (commonName != null) {
            f.add("commonName=" + commonName);
        }
        if (organizations != null) {
            f.add("organizations=" + organizations);
        }
        if (sans != null) {
            f.add("sans=" + sans);
        }
        if (keyUsages != null) {
            f.add("keyUsages=" + keyUsages);
        }
        if (extendedKeyUsages != null) {
            f.add("extendedKeyUsages=" + extendedKeyUsages);
        }
        if (keyAlgorithm != null) {
            f.add("keyAlgorithm=" + keyAlgorithm);
        }
        if (keyFormat != null) {
            f.add("keyFormat=" + keyFormat);
        }
        return "CertSettings" + f;
    }
}
