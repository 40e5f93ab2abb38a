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
}
