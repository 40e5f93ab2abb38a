package dev.nodeagent.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module shape of ARCHITECTURE.md: agentctl and the age/bundle libraries never depend on the daemon,
 * so agentctl stays small and the libraries stay usable offline; and no two packages depend on each other, even
 * through others, so every package can be read (and tested) knowing only the ones below it.
 */
class StructureTest {

    private static final Path SOURCES = Path.of("src/main/java");

    @Test
    void noPackagesDependOnEachOtherInACycle() throws IOException {
        Map<String, Set<String>> graph = PackageGraph.of(SOURCES);
        // the graph is really there: the daemon's wiring depends on the engine, and the engine on the contract
        assertTrue(graph.get("dev.nodeagent.agent").contains("dev.nodeagent.agent.engine"), graph.toString());
        assertTrue(graph.get("dev.nodeagent.agent.engine").contains("dev.nodeagent.agent.reconcile"), graph.toString());
        assertEquals(List.of(), PackageGraph.cycles(graph), "package cycles (each: its members and one path round)");
    }

    @Test
    void theCycleCheckFindsACycleThroughThreePackages() {
        Map<String, Set<String>> graph = new TreeMap<>(Map.of(
                "a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"), "d", Set.of()));
        assertEquals(List.of("[a, b, c]: a -> b -> c -> a"), PackageGraph.cycles(graph));
    }

    @Test
    void agentctlAndTheLibrariesNeverImportTheDaemon() throws IOException {
        List<String> offenders = new ArrayList<>();
        Path src = SOURCES.resolve("dev/nodeagent");
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
