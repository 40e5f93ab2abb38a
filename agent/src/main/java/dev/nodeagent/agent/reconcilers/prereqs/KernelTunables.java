package dev.nodeagent.agent.reconcilers.prereqs;

import dev.nodeagent.agent.config.ConfigNode;
import dev.nodeagent.api.status.Check;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel settings users otherwise set by hand before a node works, checked as warnings (a node runs without
 * them, until it does not): reverse-path filtering not strict, inotify and map-count limits high enough, the
 * {@code overlay} filesystem present. With {@code fix: true} a wrong sysctl is written (raised to the minimum, or
 * {@code rp_filter} set to 2) and the check says so; nothing else is ever written.
 *
 * <ul>
 *   <li>{@code net.ipv4.conf.all.rp_filter}: 1 (strict, e.g. Ubuntu's older default) drops packets that arrive on
 *       another interface than the route back — replies over {@code tailscale0}'s policy routes (table 52),
 *       asymmetric site paths. 0 or 2 (loose) is fine: Calico ≥ 3.12 checks workload source addresses with its own
 *       iptables rule and no longer needs the sysctl (older Felix refused 2 unless {@code IgnoreLooseRPF}).</li>
 *   <li>{@code fs.inotify.max_user_instances} ≥ 512 and {@code fs.inotify.max_user_watches} ≥ 524288: the
 *       kubelet, containerd and every pod's file watchers share them; the defaults (128 / 8192 on older kernels)
 *       run out as "too many open files" / "failed to create fsnotify watcher".</li>
 *   <li>{@code vm.max_map_count} ≥ 262144: Elasticsearch, OpenSearch and some JVM workloads refuse to start
 *       below it (the kernel default is 65530).</li>
 *   <li>{@code overlay}: containerd's default snapshotter mounts overlayfs; without the module no image unpacks.</li>
 * </ul>
 */
public final class KernelTunables {

    static final String RP_FILTER = "net.ipv4.conf.all.rp_filter";

    /** A sysctl that must be at least {@code minimum}; {@code fix} raises it. */
    public record Minimum(String sysctl, long minimum, boolean fix, String why) {
    }

    /** {@code rpFilter.fix}, and the minimums (each {@code KEY: {minimum: N, fix: BOOL}}). */
    public record Settings(boolean rpFilterFix, List<Minimum> minimums) {

        public static Settings defaults() {
            return new Settings(false, List.of(
                    new Minimum("fs.inotify.max_user_instances", 512, false,
                            "the kubelet and containers run out of inotify instances (\"too many open files\")"),
                    new Minimum("fs.inotify.max_user_watches", 524288, false,
                            "file watchers fail (\"failed to create fsnotify watcher\")"),
                    new Minimum("vm.max_map_count", 262144, false,
                            "Elasticsearch/OpenSearch and some JVM workloads refuse to start")));
        }

        static final List<String> KEYS = List.of("inotifyMaxUserInstances", "inotifyMaxUserWatches", "maxMapCount");

        public static Settings parse(ConfigNode n) {
            boolean rp = n.child("rpFilter").bool("fix", false);
            List<Minimum> out = new ArrayList<>();
            List<Minimum> defaults = defaults().minimums();
            for (int i = 0; i < KEYS.size(); i++) {
                ConfigNode c = n.child(KEYS.get(i));
                Minimum d = defaults.get(i);
                out.add(new Minimum(d.sysctl(), c.integer("minimum", (int) d.minimum(), 1, Integer.MAX_VALUE),
                        c.bool("fix", false), d.why()));
            }
            return new Settings(rp, List.copyOf(out));
        }
    }

    private final Settings settings;
    private final Path proc;
    private final Path sys;

    public KernelTunables(Settings settings, Path proc, Path sys) {
        this.settings = settings;
        this.proc = proc;
        this.sys = sys;
    }

    /** One warning-severity check per setting, in a fixed order; fixes made are added to {@code fixed}. */
    public List<Check> check(List<String> fixed) {
        List<Check> checks = new ArrayList<>();
        checks.add(rpFilter(fixed));
        for (Minimum m : settings.minimums()) {
            checks.add(minimum(m, fixed));
        }
        checks.add(overlay());
        return checks;
    }

    private Check rpFilter(List<String> fixed) {
        String name = RP_FILTER;
        String value;
        try {
            value = read(name);
        } catch (NoSuchFileException e) {
            return Check.warnIfNot(true, name, name + " does not exist on this kernel (no IPv4 reverse-path filter)");
        } catch (IOException e) {
            return Check.warnIfNot(false, name, "cannot read " + name + ": " + e.getMessage());
        }
        if (!value.equals("1")) {
            return Check.warnIfNot(true, name, name + " = " + value + (value.equals("2") ? " (loose)" : ""));
        }
        String problem = name + " = 1 (strict): packets arriving on another interface than the route back are dropped"
                + " (tailscale0's policy routes, asymmetric paths); set 2 (loose) — Calico checks pod source addresses"
                + " itself";
        if (!settings.rpFilterFix()) {
            return Check.warnIfNot(false, name, problem + " — or set rpFilter.fix: true");
        }
        return write(name, "2", value, fixed, problem);
    }

    private Check minimum(Minimum m, List<String> fixed) {
        String name = m.sysctl();
        long value;
        String text;
        try {
            text = read(name);
            value = Long.parseLong(text);
        } catch (NoSuchFileException e) {
            return Check.warnIfNot(false, name, name + " does not exist on this kernel");
        } catch (IOException | NumberFormatException e) {
            return Check.warnIfNot(false, name, "cannot read " + name + ": " + e.getMessage());
        }
        if (value >= m.minimum()) {
            return Check.warnIfNot(true, name, name + " = " + value + " (>= " + m.minimum() + ")");
        }
        String problem = name + " = " + value + ", below " + m.minimum() + ": " + m.why();
        if (!m.fix()) {
            return Check.warnIfNot(false, name, problem + "; `sysctl -w " + name + "=" + m.minimum()
                    + "` and persist it, or set fix: true");
        }
        return write(name, Long.toString(m.minimum()), text, fixed, problem);
    }

    private Check write(String name, String target, String was, List<String> fixed, String problem) {
        Path file = sysctlPath(name);
        try {
            Files.writeString(file, target + "\n");
            String now = Files.readString(file).strip();
            if (!now.equals(target)) {
                return Check.warnIfNot(false, name, problem + "; wrote " + target + " but it reads " + now + " (fix: true)");
            }
        } catch (IOException e) {
            return Check.warnIfNot(false, name, problem + "; setting it failed (fix: true): " + e.getMessage());
        }
        fixed.add(name + "=" + target);
        return Check.warnIfNot(true, name, name + " was " + was + "; set it to " + target + " (fix: true)");
    }

    private Check overlay() {
        boolean loaded = Files.isDirectory(sys.resolve("module/overlay"));
        if (!loaded) {
            try {
                loaded = Files.readAllLines(proc.resolve("filesystems")).stream()
                        .anyMatch(l -> l.strip().endsWith("\toverlay") || l.strip().equals("overlay")
                                || l.strip().matches("(nodev\\s+)?overlay"));
            } catch (IOException e) {
                // reported below as not loaded
            }
        }
        return Check.warnIfNot(loaded, "overlay", loaded ? "the overlay filesystem is available"
                : "the overlay module is not loaded: containerd's overlayfs snapshotter cannot unpack images;"
                        + " `modprobe overlay` and list it in /etc/modules-load.d (NixOS boot.kernelModules)");
    }

    private String read(String name) throws IOException {
        return Files.readString(sysctlPath(name)).strip();
    }

    private Path sysctlPath(String name) {
        return proc.resolve("sys").resolve(name.replace('.', '/'));
    }
}
