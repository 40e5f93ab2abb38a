package dev.nodeagent.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module shape of ARCHITECTURE.md: agentctl and the age/bundle libraries never depend on the daemon,
 * so agentctl stays small and the libraries stay usable offline.
 */
class StructureTest {

    @Test
    void agentctlAndTheLibrariesNeverImportTheDaemon() throws IOException {
        List<String> offenders = new ArrayList<>();
        Path src = Path.of("src/main/java/dev/nodeagent");
        for (String pkg : List.of("ctl", "age", "bundle", "kube", "manifests")) {
            Path dir = src.resolve(pkg);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Files.readAllLines(f).stream()
                            .filter(l -> l.startsWith("import dev.nodeagent.agent.") || l.startsWith("import static dev.nodeagent.agent."))
                            .forEach(l -> offenders.add(src.relativize(f) + ": " + l));
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void everyPackageHasAPackageInfo() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(Path.of("src/main/java/dev/nodeagent"))) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                boolean hasJava;
                try (Stream<Path> fs = Files.list(d)) {
                    hasJava = fs.anyMatch(p -> p.toString().endsWith(".java"));
                }
                if (hasJava && !Files.exists(d.resolve("package-info.java"))) {
                    missing.add(d.toString());
                }
            }
        }
        assertEquals(List.of(), missing);
    }
}
