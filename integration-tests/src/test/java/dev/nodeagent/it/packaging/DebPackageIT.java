package dev.nodeagent.it.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Installs the .deb into this machine with dpkg (root only; CI runs as root), uses it, and purges it; and runs
 * lintian on it. Skips when not root, without dpkg/lintian, when the .deb was not built (-Ddeb.skip), or when a
 * node-agent package is already installed (never clobber a real installation).
 */
class DebPackageIT {

    private static final Duration T = Duration.ofMinutes(5);

    private static Path deb() {
        Path deb = Dist.deb();
        assumeTrue(Files.isRegularFile(deb), "no .deb at " + deb + " (built by `./mvnw verify`; -Ddeb.skip skips it)");
        return deb;
    }

    @Test
    void installsWithDpkgRunsAndPurgesWithoutLeavingAnythingBehind() {
        Path deb = deb();
        assumeTrue(Proc.onPath("dpkg"), "dpkg not installed");
        assumeTrue(Proc.root(), "installing a .deb needs root; skipped");
        assumeFalse(Proc.run("dpkg-query", "-W", "-f=${Status}", "node-agent").output().contains("ok installed"),
                "a node-agent package is already installed here; not touching it");
        try {
            Proc.run(T, Map.of(), List.of("dpkg", "-i", deb.toString())).ok("dpkg -i");

            assertTrue(Files.isSymbolicLink(Path.of("/usr/bin/node-agent")));
            assertTrue(Files.isSymbolicLink(Path.of("/usr/bin/agentctl")));
            assertTrue(Files.isExecutable(Path.of("/usr/lib/node-agent/runtime/bin/java")));
            assertTrue(Files.isRegularFile(Path.of("/lib/systemd/system/node-agent.service")));
            assertTrue(Files.isRegularFile(Path.of("/usr/share/doc/node-agent/copyright")));
            assertTrue(Files.isRegularFile(Path.of("/usr/share/doc/node-agent/changelog.gz")));
            assertTrue(Proc.run("dpkg-query", "-W", "-f=${Conffiles}", "node-agent").output().contains("/etc/node-agent/agent.yaml"));
            assertEquals(0, Proc.run("getent", "group", "node-agent").exit(), "system group node-agent");
            // enabled (debhelper semantics), not started: the example config must be edited first
            assertTrue(Files.isSymbolicLink(Path.of("/etc/systemd/system/multi-user.target.wants/node-agent.service")));

            Proc check = Proc.run(T, Map.of("NODE_AGENT_LAUNCHER_DEBUG", "1"),
                    List.of("node-agent", "check-config", "/etc/node-agent/agent.yaml")).ok("node-agent check-config");
            assertTrue(check.output().contains("/etc/node-agent/agent.yaml: ok"), check.output());
            assertTrue(check.output().contains("launcher: /usr/lib/node-agent/runtime/bin/java"), check.output());
            // postinst made the AOT cache for the installed jars, and the launcher picks it up
            assertTrue(check.output().contains("-XX:AOTCache=/var/lib/node-agent/aot/node-agent-"), check.output());
            Proc help = Proc.run(T, Map.of(), List.of("agentctl", "--help")).ok("agentctl --help");
            assertTrue(help.output().contains("Usage: agentctl"), help.output());
        } finally {
            Proc purge = Proc.run(T, Map.of(), List.of("dpkg", "--purge", "node-agent"));
            assertEquals(0, purge.exit(), purge.output());
        }
        for (String p : List.of("/usr/lib/node-agent", "/usr/bin/node-agent", "/usr/bin/agentctl", "/etc/node-agent",
                "/var/lib/node-agent", "/lib/systemd/system/node-agent.service", "/usr/share/doc/node-agent",
                "/etc/systemd/system/multi-user.target.wants/node-agent.service",
                "/var/lib/systemd/deb-systemd-helper-enabled/node-agent.service.dsh-also")) {
            assertFalse(Files.exists(Path.of(p), java.nio.file.LinkOption.NOFOLLOW_LINKS), p + " left behind after purge");
        }
        assertFalse(Proc.run("dpkg-query", "-W", "-f=${Status}", "node-agent").output().contains("installed"));
    }

    @Test
    void lintianFindsNoErrors() {
        Path deb = deb();
        assumeTrue(Proc.onPath("lintian"), "lintian not installed (apt-get install lintian)");
        Proc p = Proc.run(T, Map.of(), List.of("lintian", "--fail-on", "error", deb.toString()));
        List<String> errors = p.output().lines().filter(l -> l.startsWith("E:")).toList();
        assertTrue(errors.isEmpty(), "lintian errors:\n" + String.join("\n", errors));
        assertEquals(0, p.exit(), p.output());
    }
}
