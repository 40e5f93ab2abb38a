package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code systemd/node-agent.service} (and its drop-in example) as systemd itself reads them. verify exits 0 even
 * on unknown keys, so its stderr must be empty; a deliberately bad copy proves that check can fail. ExecStart must
 * name an existing binary for verify, so copies point it at the built distribution.
 */
class SystemdUnitIT {

    @TempDir
    Path dir;
    Path repo;
    Path nodeAgent;

    @BeforeEach
    void tools() {
        Assumptions.assumeTrue(ControlSocketIT.onPath("systemd-analyze"), "systemd-analyze is not installed (Debian: systemd); skipped");
        repo = Path.of(System.getProperty("nodeagent.repo", ".")).toAbsolutePath().normalize();
        nodeAgent = Path.of(System.getProperty("nodeagent.dist", "packaging/target/node-agent"), "bin", "node-agent")
                .toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isExecutable(nodeAgent), "no distribution at " + nodeAgent);
    }

    Path installedCopy(String extraServiceLine) throws Exception {
        String unit = Files.readString(repo.resolve("systemd/node-agent.service"))
                .replace("/usr/lib/node-agent/bin/node-agent", nodeAgent.toString());
        if (extraServiceLine != null) {
            unit = unit.replace("[Service]\n", "[Service]\n" + extraServiceLine + "\n");
        }
        Path file = dir.resolve("node-agent.service");
        Files.writeString(file, unit);
        return file;
    }

    @Test
    void verifyReportsNothingForTheUnitAndItsDropInExample() throws Exception {
        Path unit = installedCopy(null);
        ControlSocketIT.Run plain = ControlSocketIT.run(List.of("systemd-analyze", "verify", unit.toString()), Map.of());
        assertEquals(0, plain.exit(), plain.toString());
        assertEquals("", plain.err().strip(), "systemd-analyze verify complained");

        Path dropIn = dir.resolve("node-agent.service.d/override.conf");
        Files.createDirectories(dropIn.getParent());
        Files.writeString(dropIn, Files.readString(repo.resolve("systemd/node-agent.service.d/override.conf.example"))
                .replace("/opt/node-agent/bin/node-agent", nodeAgent.toString()));
        // SYSTEMD_UNIT_PATH makes verify load drop-ins from next to the unit.
        ControlSocketIT.Run withDropIn = ControlSocketIT.run(List.of("systemd-analyze", "verify", unit.toString()),
                Map.of("SYSTEMD_UNIT_PATH", dir + ":"));
        assertEquals("", withDropIn.err().strip(), "verify with the drop-in complained");
    }

    @Test
    void verifyDoesComplainAboutAnUnknownKeySoTheCheckAboveCanFail() throws Exception {
        Path unit = installedCopy("NoSuchSetting=yes");
        ControlSocketIT.Run r = ControlSocketIT.run(List.of("systemd-analyze", "verify", unit.toString()), Map.of());
        assertTrue(r.err().contains("Unknown key 'NoSuchSetting'"), r.toString());
    }

    @Test
    void securityExposureIsAtMostThree() throws Exception {
        Path unit = installedCopy(null);
        ControlSocketIT.Run r = ControlSocketIT.run(
                List.of("systemd-analyze", "security", "--offline=true", "--no-pager", unit.toString()), Map.of());
        Matcher m = Pattern.compile("Overall exposure level for node-agent.service: (\\d+\\.\\d+) (\\S+)").matcher(r.out());
        assertTrue(m.find(), r.toString());
        double score = Double.parseDouble(m.group(1));
        System.out.println("systemd-analyze security: " + score + " " + m.group(2));
        assertTrue(score <= 3.0, "exposure " + score + " > 3.0:\n" + r.out());
        assertEquals("OK", m.group(2));
    }
}
