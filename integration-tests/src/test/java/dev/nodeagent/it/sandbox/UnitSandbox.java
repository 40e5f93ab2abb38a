package dev.nodeagent.it.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bubblewrap command line that rebuilds the file-system view systemd gives the unit, from the unit's own
 * settings (nothing here hard-codes a path the unit lists). {@code root} is a directory holding the production
 * layout ({@code /etc/node-agent/agent.yaml}, {@code /var/lib/kubelet}, ...); inside the sandbox it is {@code /}.
 * <ul>
 * <li>{@code ProtectSystem=strict}: all of {@code root} read-only; the host's {@code /usr} (and the {@code /bin},
 *     {@code /lib*} links), {@code /etc/passwd}, {@code /etc/group} and resolver files bound read-only in it;</li>
 * <li>{@code ReadWritePaths=}: {@code root/PATH} bound writable on {@code PATH}; {@code -PATH} skipped when absent
 *     (systemd skips it too), a plain {@code PATH} that is absent fails like systemd's 226/NAMESPACE;</li>
 * <li>{@code RuntimeDirectory=} a writable tmpfs under a read-only {@code /run}; {@code StateDirectory=} writable,
 *     created if missing; {@code ConfigurationDirectory=} created, read-only;</li>
 * <li>{@code ProtectHome=}: yes = empty inaccessible tmpfs on {@code /root}, {@code /home}, {@code /run/user};
 *     tmpfs = empty read-only tmpfs; read-only = {@code root/root} etc. read-only; then
 *     {@code BindReadOnlyPaths=} / {@code BindPaths=} ({@code [-]SRC[:DEST]}) from {@code root} on top;</li>
 * <li>{@code PrivateTmp=yes} fresh tmpfs {@code /tmp} and {@code /var/tmp}; {@code PrivateDevices=yes} a minimal
 *     {@code /dev}; {@code /sys} read-only, a fresh {@code /proc};</li>
 * <li>{@code CapabilityBoundingSet=} the only capabilities left (the process runs as root, like {@code User=root});
 *     bubblewrap always sets no_new_privs ({@code NoNewPrivileges=yes}); {@code UMask=} set by a shell before exec;
 *     {@code Environment=} plus what systemd sets ({@code PATH}, {@code RUNTIME_DIRECTORY}, ...).</li>
 * </ul>
 * The distribution is bound read-only at its own host path and ExecStart's install prefix is rewritten to it (the
 * host's {@code /usr} is read-only, so nothing can be mounted at {@code /usr/lib/node-agent}). Not modelled:
 * seccomp, address families, namespaces and the other kernel knobs, which do not decide what is writable.
 */
final class UnitSandbox {

    private static final Set<String> HOME_DIRS = Set.of("/root", "/home", "/run/user");

    private final UnitFile unit;
    private final Path root;
    private final Path dist;
    private final String installPrefix;
    private final List<String> args = new ArrayList<>();
    private final List<String> remountReadOnly = new ArrayList<>();
    /** What each unit setting became, for failure messages: "rw /var/lib/kubelet", "skipped -/var/lib/kubernetes". */
    private final List<String> plan = new ArrayList<>();

    UnitSandbox(UnitFile unit, Path root, Path dist, String installPrefix) {
        this.unit = unit;
        this.root = root.toAbsolutePath().normalize();
        this.dist = dist.toAbsolutePath().normalize();
        this.installPrefix = installPrefix;
    }

    List<String> plan() {
        return List.copyOf(plan);
    }

    /** The whole command: bwrap, its mounts, then the unit's ExecStart under a shell that applies UMask=. */
    List<String> command() throws IOException {
        require("User", "root");
        require("ProtectSystem", "strict");
        args.clear();
        remountReadOnly.clear();
        plan.clear();
        args.addAll(List.of("bwrap", "--die-with-parent", "--bind", root.toString(), "/"));
        hostSystem();
        kernelFileSystems();
        if (yes(unit.last("PrivateTmp", "no"))) {
            tmpfs("/tmp", null);
            tmpfs("/var/tmp", null);
            plan.add("tmpfs /tmp /var/tmp (PrivateTmp)");
        }
        tmpfs("/run", null);
        remountReadOnly.add("/run");
        for (String name : unit.words("RuntimeDirectory")) {
            tmpfs("/run/" + name, unit.last("RuntimeDirectoryMode", "0755"));
            plan.add("rw tmpfs /run/" + name + " (RuntimeDirectory)");
        }
        protectHome();
        for (String name : unit.words("StateDirectory")) {
            Path dir = Files.createDirectories(inRoot("/var/lib/" + name));
            Files.setPosixFilePermissions(dir, FileMode.permissions(unit.last("StateDirectoryMode", "0755")));
            bind("--bind", dir, "/var/lib/" + name);
            plan.add("rw /var/lib/" + name + " (StateDirectory)");
        }
        for (String name : unit.words("ConfigurationDirectory")) {
            Files.createDirectories(inRoot("/etc/" + name));
        }
        for (String entry : unit.words("ReadWritePaths")) {
            readWrite(entry);
        }
        for (String entry : unit.words("BindPaths")) {
            bindPath(entry, "--bind");
        }
        for (String entry : unit.words("BindReadOnlyPaths")) {
            bindPath(entry, "--ro-bind");
        }
        bind("--ro-bind", dist, dist.toString());
        for (String p : remountReadOnly) {
            args.addAll(List.of("--remount-ro", p));
        }
        args.addAll(List.of("--remount-ro", "/"));
        capabilities();
        environment();
        args.addAll(List.of("/bin/sh", "-c", "umask " + unit.last("UMask", "0022") + " && exec \"$@\"", "sh"));
        args.addAll(execStart());
        return List.copyOf(args);
    }

    private void hostSystem() throws IOException {
        bind("--ro-bind", Path.of("/usr"), "/usr");
        for (String top : List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
            Path p = Path.of(top);
            if (Files.isSymbolicLink(p)) {
                args.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), top));
            } else if (Files.isDirectory(p)) {
                bind("--ro-bind", p, top);
            }
        }
        // who root and the kube-* users are, and name resolution; the rest of /etc is the node's (root/etc)
        for (String f : List.of("/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/hosts", "/etc/resolv.conf",
                "/etc/localtime", "/etc/ld.so.cache")) {
            args.addAll(List.of("--ro-bind-try", f, f));
        }
    }

    private void kernelFileSystems() {
        args.addAll(List.of("--proc", "/proc", "--ro-bind", "/sys", "/sys"));
        if (yes(unit.last("PrivateDevices", "no"))) {
            args.addAll(List.of("--dev", "/dev"));
        } else {
            args.addAll(List.of("--dev-bind", "/dev", "/dev"));
        }
    }

    private void protectHome() throws IOException {
        String mode = unit.last("ProtectHome", "no");
        switch (mode) {
            case "yes", "true", "1", "on" -> {
                for (String d : HOME_DIRS) {
                    tmpfs(d, "0000");
                    remountReadOnly.add(d);
                }
                plan.add("inaccessible empty " + HOME_DIRS + " (ProtectHome=yes)");
            }
            case "tmpfs" -> {
                for (String d : HOME_DIRS) {
                    tmpfs(d, "0755");
                    remountReadOnly.add(d);
                }
                plan.add("empty read-only tmpfs " + HOME_DIRS + " (ProtectHome=tmpfs)");
            }
            case "read-only" -> {
                for (String d : List.of("/root", "/home")) {
                    if (Files.isDirectory(inRoot(d))) {
                        bind("--ro-bind", inRoot(d), d);
                    }
                }
            }
            case "no", "false", "0", "off" -> {
                // ProtectSystem=strict already makes them read-only
            }
            default -> throw new IllegalArgumentException("ProtectHome=" + mode + " is not modelled");
        }
    }

    private void readWrite(String entry) throws IOException {
        boolean optional = entry.startsWith("-");
        String path = entry.replaceFirst("^[-+]+", "");
        Path src = inRoot(path);
        if (Files.isDirectory(src) || Files.isRegularFile(src)) {
            bind("--bind", src, path);
            plan.add("rw " + path + " (ReadWritePaths)");
        } else if (optional) {
            plan.add("skipped " + entry + " (absent)");
        } else {
            throw new IOException("ReadWritePaths=" + entry + ": " + path + " does not exist; systemd would refuse to start"
                    + " the unit (226/NAMESPACE)");
        }
    }

    private void bindPath(String entry, String how) throws IOException {
        boolean optional = entry.startsWith("-");
        String[] parts = entry.replaceFirst("^-", "").split(":");
        String source = parts[0];
        String dest = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : source;
        Path src = inRoot(source);
        if (Files.exists(src)) {
            bind(how, src, dest);
            plan.add((how.equals("--bind") ? "rw " : "ro ") + dest + " (" + (how.equals("--bind") ? "BindPaths" : "BindReadOnlyPaths") + ")");
        } else if (optional) {
            plan.add("skipped " + entry + " (absent)");
        } else {
            throw new IOException("bind source " + source + " does not exist; systemd would refuse to start the unit");
        }
    }

    private void capabilities() {
        args.addAll(List.of("--cap-drop", "ALL"));
        for (String cap : unit.words("CapabilityBoundingSet")) {
            args.addAll(List.of("--cap-add", cap));
        }
    }

    private void environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin");
        env.put("HOME", "/root");
        env.put("USER", "root");
        env.put("LOGNAME", "root");
        List<String> runtime = unit.words("RuntimeDirectory");
        if (!runtime.isEmpty()) {
            env.put("RUNTIME_DIRECTORY", "/run/" + runtime.getFirst());
        }
        List<String> state = unit.words("StateDirectory");
        if (!state.isEmpty()) {
            env.put("STATE_DIRECTORY", "/var/lib/" + state.getFirst());
        }
        for (String assignment : unit.all("Environment")) {
            for (String kv : UnitFile.split(assignment)) {
                int eq = kv.indexOf('=');
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        args.add("--clearenv");
        env.forEach((k, v) -> args.addAll(List.of("--setenv", k, v)));
    }

    private List<String> execStart() {
        List<String> words = UnitFile.split(unit.last("ExecStart", ""));
        if (words.isEmpty()) {
            throw new IllegalStateException("the unit has no ExecStart=");
        }
        List<String> out = new ArrayList<>(words);
        String binary = out.getFirst().replaceFirst("^[-@:+!]+", "");
        if (binary.startsWith(installPrefix + "/")) {
            binary = dist + binary.substring(installPrefix.length());
        }
        out.set(0, binary);
        return out;
    }

    private void require(String key, String value) {
        String v = unit.last(key, "");
        if (!v.equals(value)) {
            throw new IllegalArgumentException(key + "=" + v + ": only " + key + "=" + value + " is modelled");
        }
    }

    private void tmpfs(String dest, String mode) {
        if (mode != null) {
            args.addAll(List.of("--perms", mode));
        }
        args.addAll(List.of("--tmpfs", dest));
    }

    private void bind(String how, Path source, String dest) {
        args.addAll(List.of(how, source.toString(), dest));
    }

    Path inRoot(String absolute) {
        return root.resolve(absolute.substring(1)).normalize();
    }

    /** Octal mode text ("0700") as permissions. */
    private static final class FileMode {
        static Set<PosixFilePermission> permissions(String octal) {
            int mode = Integer.parseInt(octal, 8);
            Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
            PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
            for (int bit = 0; bit < order.length; bit++) {
                if ((mode & (1 << bit)) != 0) {
                    out.add(order[bit]);
                }
            }
            return out;
        }
    }

    private static boolean yes(String v) {
        return Set.of("yes", "true", "1", "on").contains(v);
    }
}
