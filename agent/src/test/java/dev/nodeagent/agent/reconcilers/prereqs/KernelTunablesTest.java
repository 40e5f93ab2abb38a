package dev.nodeagent.agent.reconcilers.prereqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.reconcilers.prereqs.KernelTunables.Minimum;
import dev.nodeagent.agent.reconcilers.prereqs.KernelTunables.Settings;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tunables on a fake /proc and /sys: what passes, what warns, what {@code fix: true} writes. */
class KernelTunablesTest {

    @TempDir
    Path proc;
    @TempDir
    Path sys;
    List<String> fixed = new ArrayList<>();

    /** A stock Debian 12 host: rp_filter 0 … and the kernel's low inotify/map-count defaults. */
    @BeforeEach
    void stockHost() throws Exception {
        sysctl("net.ipv4.conf.all.rp_filter", "0");
        sysctl("fs.inotify.max_user_instances", "128");
        sysctl("fs.inotify.max_user_watches", "192530");
        sysctl("vm.max_map_count", "65530");
        Files.writeString(proc.resolve("filesystems"), "nodev\tsysfs\n\text4\n");
    }

    void sysctl(String name, String value) throws Exception {
        Path p = proc.resolve("sys").resolve(name.replace('.', '/'));
        Files.createDirectories(p.getParent());
        Files.writeString(p, value + "\n");
    }

    String read(String name) throws Exception {
        return Files.readString(proc.resolve("sys").resolve(name.replace('.', '/'))).strip();
    }

    List<Check> run(Settings s) {
        return new KernelTunables(s, proc, sys).check(fixed);
    }

    static Check check(List<Check> checks, String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    static Settings fixAll() {
        List<Minimum> m = Settings.defaults().minimums().stream()
                .map(x -> new Minimum(x.sysctl(), x.minimum(), true, x.why())).toList();
        return new Settings(true, m);
    }

    @Test
    void lowLimitsAndAMissingOverlayAreWarningsThatSayWhyAndHow() {
        List<Check> c = run(Settings.defaults());
        assertTrue(c.stream().allMatch(x -> x.severity() == Severity.WARNING));
        assertTrue(check(c, "net.ipv4.conf.all.rp_filter").ok());
        assertEquals("fs.inotify.max_user_instances = 128, below 512: the kubelet and containers run out of inotify"
                + " instances (\"too many open files\"); `sysctl -w fs.inotify.max_user_instances=512` and persist it,"
                + " or set fix: true", check(c, "fs.inotify.max_user_instances").message());
        assertFalse(check(c, "fs.inotify.max_user_watches").ok());
        assertFalse(check(c, "vm.max_map_count").ok());
        assertFalse(check(c, "overlay").ok());
        assertTrue(fixed.isEmpty());
    }

    @Test
    void strictRpFilterWarnsAndLooseOrOffPasses() throws Exception {
        sysctl("net.ipv4.conf.all.rp_filter", "1");
        Check strict = check(run(Settings.defaults()), "net.ipv4.conf.all.rp_filter");
        assertFalse(strict.ok());
        assertTrue(strict.message().startsWith("net.ipv4.conf.all.rp_filter = 1 (strict)"), strict.message());
        sysctl("net.ipv4.conf.all.rp_filter", "2");
        assertEquals("net.ipv4.conf.all.rp_filter = 2 (loose)", check(run(Settings.defaults()),
                "net.ipv4.conf.all.rp_filter").message());
    }

    @Test
    void fixTrueRaisesLimitsToTheMinimumAndSetsLooseRpFilter() throws Exception {
        sysctl("net.ipv4.conf.all.rp_filter", "1");
        List<Check> c = run(fixAll());
        assertEquals("2", read("net.ipv4.conf.all.rp_filter"));
        assertEquals("512", read("fs.inotify.max_user_instances"));
        assertEquals("524288", read("fs.inotify.max_user_watches"));
        assertEquals("262144", read("vm.max_map_count"));
        assertEquals("vm.max_map_count was 65530; set it to 262144 (fix: true)", check(c, "vm.max_map_count").message());
        assertEquals(List.of("net.ipv4.conf.all.rp_filter=2", "fs.inotify.max_user_instances=512",
                "fs.inotify.max_user_watches=524288", "vm.max_map_count=262144"), fixed);
    }

    @Test
    void aLimitAboveTheMinimumIsNeverLowered() throws Exception {
        sysctl("vm.max_map_count", "1048576");
        Check c = check(run(fixAll()), "vm.max_map_count");
        assertTrue(c.ok());
        assertEquals("1048576", read("vm.max_map_count"));
    }

    @Test
    void overlayBuiltInOrAsAModulePasses() throws Exception {
        Files.writeString(proc.resolve("filesystems"), "nodev\tsysfs\nnodev\toverlay\n");
        assertTrue(check(run(Settings.defaults()), "overlay").ok());
        Files.writeString(proc.resolve("filesystems"), "nodev\tsysfs\n");
        Files.createDirectories(sys.resolve("module/overlay"));
        assertTrue(check(run(Settings.defaults()), "overlay").ok());
    }
}
