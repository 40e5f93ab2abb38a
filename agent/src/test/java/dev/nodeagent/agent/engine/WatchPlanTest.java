package dev.nodeagent.agent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.engine.WatchPlan.Interest;
import dev.nodeagent.agent.reconcile.Watch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchPlanTest {

    @TempDir
    Path tmp;

    @Test
    void anExistingDirIsWatchedItselfAndThroughItsParent() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("opt/cni/bin"));
        Map<Path, Interest> dirs = WatchPlan.of(List.of((Watch.Files) Watch.dir(bin))).dirs();
        Path real = tmp.toRealPath();
        assertEquals(Map.of(real.resolve("opt/cni/bin"), Interest.ALL,
                real.resolve("opt/cni"), new Interest(false, Set.of("bin"))), dirs);
    }

    @Test
    void anAbsentPathIsWatchedThroughItsNearestExistingAncestor() throws Exception {
        Files.createDirectories(tmp.resolve("opt"));
        Map<Path, Interest> dirs = WatchPlan.of(List.of((Watch.Files) Watch.dir(tmp.resolve("opt/cni/bin")))).dirs();
        assertEquals(Map.of(tmp.toRealPath().resolve("opt"), new Interest(false, Set.of("cni"))), dirs);
    }

    @Test
    void aSymlinkIsWatchedWhereItIsAndWhereItPoints() throws Exception {
        Path gen = Files.createDirectories(tmp.resolve("bundles/1/derived/node1"));
        Files.createDirectories(tmp.resolve("var/lib"));
        Files.createSymbolicLink(tmp.resolve("var/lib/secrets"), tmp.resolve("bundles/1"));
        Map<Path, Interest> dirs = WatchPlan.of(List.of((Watch.Files) Watch.tree(tmp.resolve("var/lib/secrets"), 3))).dirs();
        Path real = tmp.toRealPath();
        assertEquals(new Interest(false, Set.of("secrets")), dirs.get(real.resolve("var/lib")));
        assertEquals(new Interest(false, Set.of("1")), dirs.get(real.resolve("bundles")));
        assertEquals(Interest.ALL, dirs.get(real.resolve("bundles/1")));
        assertEquals(Interest.ALL, dirs.get(real.resolve("bundles/1/derived")));
        assertEquals(Interest.ALL, dirs.get(gen.toRealPath()));
        assertEquals(5, dirs.size(), dirs.toString());
    }

    @Test
    void aFileInASymlinkedDirIsAlsoWatchedThroughTheLinksParent() throws Exception {
        Files.createDirectories(tmp.resolve("etc/static/kubernetes"));
        Files.createSymbolicLink(tmp.resolve("etc/kubernetes"), tmp.resolve("etc/static/kubernetes"));
        Map<Path, Interest> dirs = WatchPlan.of(List.of((Watch.Files) Watch.file(tmp.resolve("etc/kubernetes/kubelet.conf")))).dirs();
        Path real = tmp.toRealPath();
        assertEquals(new Interest(false, Set.of("kubelet.conf")), dirs.get(real.resolve("etc/static/kubernetes")));
        assertTrue(dirs.get(real.resolve("etc")).matches("kubernetes"), dirs.toString());
    }

    @Test
    void interestsOfOneDirAreMerged() {
        Interest a = new Interest(false, Set.of("a"));
        assertEquals(new Interest(false, Set.of("a", "b")), a.plus(new Interest(false, Set.of("b"))));
        assertEquals(Interest.ALL, a.plus(Interest.ALL));
    }
}
