package dev.nodeagent.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where one host's bundle lives, read as it is on disk. Two layouts are accepted:
 * <ul>
 *   <li>k8nix certToolkit + agenix, relative to a secrets dir: {@code ca/<ca>.crt} and
 *       {@code derived/<host>/<ca>-<cert>.crt} + {@code derived/<host>/<ca>-<cert>.key.age};</li>
 *   <li>flat: {@code ca.crt}, {@code <cert>.crt} + {@code <cert>.key.age} in one directory.</li>
 * </ul>
 * For {@code service-account} a PEM public key ({@code .pub}) may stand in for the certificate. Files that do not
 * follow the naming (CSRs, JSON, another CA's prefix) are ignored; a cert without its key, or a key without its
 * cert, is an error. Entries are sorted by cert name. Locating reads directory listings only, no file contents.
 */
public final class BundleLayout {

    /** Which of the two layouts was found. */
    public enum Kind { K8NIX, FLAT }

    /** A cert name: what becomes {@code <target>/<cert>.crt}, so no dots, slashes or leading dash. */
    private static final Pattern CERT_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    /** Host and CA names become path segments: no separators, no leading dot. */
    private static final String SAFE_NAME = "[A-Za-z0-9_][A-Za-z0-9_.-]*";
    static final String SERVICE_ACCOUNT = "service-account";

    private final Kind kind;
    private final Path dir;
    private final Path caCert;
    private final List<BundleEntry> entries;

    private BundleLayout(Kind kind, Path dir, Path caCert, List<BundleEntry> entries) {
        this.kind = kind;
        this.dir = dir;
        this.caCert = caCert;
        this.entries = List.copyOf(entries);
    }

    /**
     * Finds {@code host}'s bundle under {@code secretsDir}: the k8nix layout when {@code ca/<ca>.crt} exists,
     * else the flat layout when {@code ca.crt} exists.
     *
     * @throws BundleException {@code BundleDirMissing}, {@code CaMissing}, {@code HostMissing}, {@code KeyMissing},
     *                         {@code CertMissing}, {@code BundleEmpty} or {@code BundleUnreadable}
     */
    public static BundleLayout locate(Path secretsDir, String host, String ca) throws BundleException {
        if (!Files.isDirectory(secretsDir)) {
            throw new BundleException("BundleDirMissing", secretsDir.toString(),
                    "bundle directory " + secretsDir + " does not exist or is not a directory");
        }
        if (!ca.matches(SAFE_NAME)) {
            throw new BundleException("CaNameInvalid", null, "CA name '" + ca + "' is not a plain file name prefix");
        }
        Path k8nixCa = caCertPath(secretsDir, ca);
        if (Files.isRegularFile(k8nixCa)) {
            if (!host.matches(SAFE_NAME)) {
                throw new BundleException("HostNameInvalid", null, "host name '" + host + "' cannot name a directory under derived/");
            }
            Path derived = hostDir(secretsDir, host);
            if (!Files.isDirectory(derived)) {
                throw new BundleException("HostMissing", derived.toString(),
                        "no bundle for host '" + host + "': " + derived + " does not exist (hosts present: "
                                + hostsIn(secretsDir) + ")");
            }
            return new BundleLayout(Kind.K8NIX, derived, k8nixCa, scan(derived, ca + "-"));
        }
        Path flatCa = secretsDir.resolve("ca.crt");
        if (Files.isRegularFile(flatCa)) {
            return new BundleLayout(Kind.FLAT, secretsDir, flatCa, scan(secretsDir, ""));
        }
        throw new BundleException("CaMissing", k8nixCa.toString(),
                "no CA certificate: neither " + k8nixCa + " (k8nix layout) nor " + flatCa + " (flat layout) exists");
    }

    /** {@code <dir>/ca/<ca>.crt}. */
    public static Path caCertPath(Path secretsDir, String ca) {
        return secretsDir.resolve("ca").resolve(ca + ".crt");
    }

    /** {@code <dir>/ca/<ca>.key.age}: the CA key, encrypted to operators only. */
    public static Path caKeyPath(Path secretsDir, String ca) {
        return secretsDir.resolve("ca").resolve(ca + ".key.age");
    }

    /** {@code <dir>/derived/<host>}. */
    public static Path hostDir(Path secretsDir, String host) {
        return secretsDir.resolve("derived").resolve(host);
    }

    /** {@code <dir>/derived/<host>/<ca>-<cert>.crt}. */
    public static Path certPath(Path secretsDir, String host, String ca, String cert) {
        return hostDir(secretsDir, host).resolve(ca + "-" + cert + ".crt");
    }

    /** {@code <dir>/derived/<host>/<ca>-<cert>.key.age}. */
    public static Path keyPath(Path secretsDir, String host, String ca, String cert) {
        return hostDir(secretsDir, host).resolve(ca + "-" + cert + ".key.age");
    }

    /** Host names present under {@code <dir>/derived}, sorted; empty when there is none. */
    public static List<String> hostsIn(Path secretsDir) {
        Path derived = secretsDir.resolve("derived");
        if (!Files.isDirectory(derived)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(derived)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The directory holding this host's certs and keys. */
    public Path dir() {
        return dir;
    }

    public Path caCert() {
        return caCert;
    }

    public List<BundleEntry> entries() {
        return entries;
    }

    private static List<BundleEntry> scan(Path dir, String prefix) throws BundleException {
        Pattern file = Pattern.compile(Pattern.quote(prefix) + "(" + CERT_NAME.pattern() + ")(\\.crt|\\.pub|\\.key\\.age)");
        TreeMap<String, Path[]> found = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new BundleException("BundleUnreadable", dir.toString(), "cannot list " + dir + ": " + e.getMessage(), e);
        }
        for (Path p : files) {
            Matcher m = file.matcher(p.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            String cert = m.group(1);
            if (prefix.isEmpty() && cert.equals("ca")) {
                continue; // the flat layout's CA (and a stray CA key) are not leaf entries
            }
            Path[] pair = found.computeIfAbsent(cert, k -> new Path[2]);
            switch (m.group(2)) {
                case ".key.age" -> pair[1] = p;
                case ".pub" -> {
                    if (cert.equals(SERVICE_ACCOUNT) && pair[0] == null) {
                        pair[0] = p;
                    }
                }
                default -> pair[0] = p; // .crt wins over .pub
            }
        }
        List<BundleEntry> entries = new ArrayList<>();
        for (var e : found.entrySet()) {
            Path crt = e.getValue()[0];
            Path key = e.getValue()[1];
            if (crt == null && key == null) {
                continue; // only a .pub for a cert that is not service-account
            }
            if (key == null) {
                throw new BundleException("KeyMissing", crt.toString(),
                        "certificate " + crt + " has no encrypted key next to it (expected " + prefix + e.getKey() + ".key.age)");
            }
            if (crt == null) {
                throw new BundleException("CertMissing", key.toString(),
                        "encrypted key " + key + " has no certificate next to it (expected " + prefix + e.getKey() + ".crt)");
            }
            entries.add(new BundleEntry(e.getKey(), crt, key));
        }
        if (entries.isEmpty()) {
            throw new BundleException("BundleEmpty", dir.toString(),
                    "no certificates in " + dir + " (expected " + prefix + "<cert>.crt with " + prefix + "<cert>.key.age)");
        }
        return entries;
    }

    @Override
    public String toString() {
        return "BundleLayout[" + kind + " " + dir + ", " + entries.size() + " certs]";
    }
}
