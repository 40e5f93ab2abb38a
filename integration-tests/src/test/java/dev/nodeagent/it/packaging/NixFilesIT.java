package dev.nodeagent.it.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every .nix file in the repository parses (`nix-instantiate --parse`, Debian package nix-bin). */
class NixFilesIT {

    @Test
    void everyNixFileParses() throws IOException {
        assumeTrue(Proc.onPath("nix-instantiate"), "nix-instantiate not installed (Debian package nix-bin); skipping the Nix parse check");
        List<Path> files;
        try (Stream<Path> all = Files.walk(Dist.repo())) {
            files = all.filter(p -> p.toString().endsWith(".nix"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/")).sorted().toList();
        }
        assertTrue(files.size() >= 3, "expected flake.nix, the package and the module, found " + files);
        for (Path f : files) {
            Proc.run(Duration.ofMinutes(1), Map.of("NIX_STATE_DIR", System.getProperty("java.io.tmpdir") + "/nix-parse-state"),
                    List.of("nix-instantiate", "--parse", f.toString())).ok("nix-instantiate --parse " + f);
        }
    }

    /**
     * The module's node-name assertion (node-name.nix, evaluated by nix-instantiate) accepts exactly the names that
     * the packaged {@code node-agent check-config} accepts, so a host name that would fail the build's
     * check-config fails the evaluation first, with the module's message instead.
     */
    @Test
    void theModulesNodeNameAssertionAgreesWithCheckConfig(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        assumeTrue(Proc.onPath("nix-instantiate"), "nix-instantiate not installed (Debian package nix-bin)");
        Path nodeAgent = Dist.home().resolve("bin/node-agent");
        assumeTrue(Files.isExecutable(nodeAgent), "no distribution at " + nodeAgent);
        String worker = Files.readString(Dist.repo().resolve("config/worker.yaml"));
        Map<String, String> env = Map.of("NIX_STATE_DIR", tmp.resolve("nix-state").toString());
        for (String name : List.of("", "Laptop1", "laptop1", "w-1.home.lan", "-bad", "bad-", "a_b", "LAPTOP")) {
            Proc nix = Proc.run(Duration.ofMinutes(1), env, List.of("nix-instantiate", "--eval", "--expr",
                    "(import " + Dist.repo().resolve("packaging/nix/node-name.nix") + ") \"" + name + "\""));
            String verdict = nix.ok("nix-instantiate --eval node-name.nix").output().lines()
                    .filter(l -> !l.startsWith("warning:")).reduce((a, b) -> b).orElse("").strip();
            Path config = tmp.resolve("agent-" + name.length() + "-" + Math.abs(name.hashCode()) + ".yaml");
            Files.writeString(config, worker.replace("  # name: laptop1", "  name: \"" + name + "\""));
            Proc check = Proc.run(Duration.ofMinutes(1), Map.of(), List.of(nodeAgent.toString(), "check-config",
                    config.toString()));
            assertTrue(verdict.equals("true") || verdict.equals("false"), "nix said " + nix.output());
            org.junit.jupiter.api.Assertions.assertEquals(check.exit() == 0, verdict.equals("true"),
                    "node name '" + name + "': module assertion " + verdict + ", check-config exit " + check.exit()
                            + "\n" + check.output());
        }
    }
}
