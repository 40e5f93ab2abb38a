package dev.nodeagent.agent.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.host.GenerationSwitcher.Entry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GenerationSwitcherTest {

    @TempDir
    Path dir;

    private static List<Entry> set(String tag) {
        return List.of(
                new Entry("ca.crt", ("ca " + tag).getBytes(StandardCharsets.UTF_8), FileMode.of(0444)),
                new Entry("kubelet.crt", ("crt " + tag).getBytes(StandardCharsets.UTF_8), FileMode.of(0444)),
                new Entry("kubelet.key", ("key " + tag).getBytes(StandardCharsets.UTF_8), FileMode.of(0400)));
    }

    private Set<String> names(Path p) throws IOException {
        try (Stream<Path> s = Files.list(p)) {
            return new TreeSet<>(s.map(x -> x.getFileName().toString()).toList());
        }
    }

    @Test
    void firstSwitchWritesGenerationOneAndPointsTheStablePathAtIt() throws IOException {
        GenerationSwitcher sw = new GenerationSwitcher(dir.resolve("certs"));
        assertEquals(1, sw.switchTo(set("a")));
        assertEquals("certs.gen/1", Files.readSymbolicLink(dir.resolve("certs")).toString());
        assertArrayEquals("key a".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(dir.resolve("certs/kubelet.key")));
        assertTrue(AtomicWriter.hasMode(dir.resolve("certs/kubelet.key"), FileMode.of(0400)));
        assertTrue(AtomicWriter.hasMode(dir.resolve("certs/ca.crt"), FileMode.of(0444)));
        assertEquals(1, sw.live().orElseThrow().generation());
    }

    @Test
    void theSameSetIsLiveAndCheckingItWritesNothing() throws IOException {
        GenerationSwitcher sw = new GenerationSwitcher(dir.resolve("certs"));
        sw.switchTo(set("a"));
        FileTime before = Files.getLastModifiedTime(dir.resolve("certs.gen/1"));
        assertTrue(sw.isLive(set("a")));
        assertEquals(List.of(), sw.prune());
        assertEquals(before, Files.getLastModifiedTime(dir.resolve("certs.gen/1")));
        assertEquals(Set.of("1"), names(dir.resolve("certs.gen")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"other bytes", "other mode", "extra file", "missing file", "no link yet"})
    void anyDifferenceFromTheLiveSetCountsAsNotLive(String difference) throws IOException {
        GenerationSwitcher sw = new GenerationSwitcher(dir.resolve("certs"));
        if (!difference.equals("no link yet")) {
            sw.switchTo(set("a"));
        }
        List<Entry> wanted = new ArrayList<>(set("a"));
        switch (difference) {
            case "other bytes" -> wanted.set(2, new Entry("kubelet.key", "key b".getBytes(StandardCharsets.UTF_8), FileMode.of(0400)));
            case "other mode" -> wanted.set(2, new Entry("kubelet.key", "key a".getBytes(StandardCharsets.UTF_8), FileMode.of(0440)));
            case "extra file" -> wanted.add(new Entry("kube-proxy.crt", new byte[] {1}, FileMode.of(0444)));
            case "missing file" -> wanted.remove(1);
            default -> { }
        }
        assertFalse(sw.isLive(wanted));
    }

    @Test
    void aSwitchKeepsThePreviousGenerationAndPruneDropsOlderOnes() throws IOException {
        GenerationSwitcher sw = new GenerationSwitcher(dir.resolve("certs"));
        sw.switchTo(set("a"));
        sw.prune();
        sw.switchTo(set("b"));
        sw.prune();
        assertEquals(3, sw.switchTo(set("c")));
        assertEquals(List.of("1"), sw.prune());
        assertEquals(Set.of("2", "3"), names(dir.resolve("certs.gen")));
        assertArrayEquals("crt c".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(dir.resolve("certs/kubelet.crt")));
    }

    @Test
    void crashLeftoversArePrunedAndTheirNumbersAreNeverReused() throws IOException {
        GenerationSwitcher sw = new GenerationSwitcher(dir.resolve("certs"));
        sw.switchTo(set("a"));
        // A crash after the rename of the dir but before the link moved, and one in the middle of writing.
        Files.createDirectories(dir.resolve("certs.gen/2"));
        Files.createDirectories(dir.resolve("certs.gen/3.tmp"));
        Files.writeString(dir.resolve("certs.gen/3.tmp/kubelet.key"), "half");
        assertTrue(sw.isLive(set("a")), "leftovers do not change what is live");
        assertEquals(4, sw.switchTo(set("b")));
        sw.prune();
        assertEquals(Set.of("1", "4"), names(dir.resolve("certs.gen")));
    }

    @ParameterizedTest(name = "link to {0}")
    @ValueSource(strings = {"/", "elsewhere", "certs.gen/x", "certs.gen/9"})
    void aLinkThatIsNotOneOfOurGenerationsIsNotLiveAndIsReplaced(String text) throws IOException {
        Files.createSymbolicLink(dir.resolve("certs"), Path.of(text));
        GenerationSwitcher sw = new GenerationSwitcher(dir.resolve("certs"));
        assertTrue(sw.live().isEmpty());
        assertFalse(sw.isLive(set("a")));
        assertEquals(1, sw.switchTo(set("a")));
        assertTrue(sw.isLive(set("a")));
    }

    @Test
    void aFailedWriteRemovesThePartialDirAndLeavesTheLinkAlone() throws IOException {
        GenerationSwitcher sw = new GenerationSwitcher(dir.resolve("certs"));
        sw.switchTo(set("a"));
        List<Entry> bad = List.of(new Entry("kubelet.key", new byte[] {1}, new FileMode(0400, "no-such-user-xyz", null)));
        assertThrows(IOException.class, () -> sw.switchTo(bad));
        assertEquals("certs.gen/1", Files.readSymbolicLink(dir.resolve("certs")).toString());
        assertEquals(Set.of("1"), names(dir.resolve("certs.gen")));
        assertTrue(sw.isLive(set("a")));
    }

    @Test
    void anEmptyRealDirectoryBecomesTheLinkButANonEmptyOneIsRefusedByName() throws IOException {
        Files.createDirectories(dir.resolve("certs"));
        GenerationSwitcher sw = new GenerationSwitcher(dir.resolve("certs"));
        sw.switchTo(set("a"));
        assertTrue(Files.isSymbolicLink(dir.resolve("certs")));

        Files.createDirectories(dir.resolve("other"));
        Files.writeString(dir.resolve("other/keep-me"), "x");
        IOException e = assertThrows(IOException.class, () -> new GenerationSwitcher(dir.resolve("other")).switchTo(set("a")));
        assertTrue(e.getMessage().contains(dir.resolve("other") + " is a non-empty directory"), e.getMessage());
        assertTrue(Files.exists(dir.resolve("other/keep-me")));
    }

    @Test
    void aReaderOfTheStablePathsNeverSeesAMixedOrMissingSet() throws Exception {
        GenerationSwitcher sw = new GenerationSwitcher(dir.resolve("certs"));
        sw.switchTo(set("0"));
        AtomicBoolean stop = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        AtomicReference<String> problem = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!stop.get() && problem.get() == null) {
                try {
                    // Through the stable paths, one open each, as kubelet does. A switch between two opens can
                    // mix sets, so the set counts only when ca.crt is the same before and after (tags only grow).
                    Path certs = dir.resolve("certs");
                    String ca = Files.readString(certs.resolve("ca.crt")).substring(3);
                    String crt = Files.readString(certs.resolve("kubelet.crt")).substring(4);
                    String key = Files.readString(certs.resolve("kubelet.key")).substring(4);
                    String caAgain = Files.readString(certs.resolve("ca.crt")).substring(3);
                    if (ca.equals(caAgain) && (!ca.equals(crt) || !crt.equals(key))) {
                        problem.set("mixed set: " + ca + "/" + crt + "/" + key);
                    }
                    reads.incrementAndGet();
                } catch (IOException e) {
                    problem.set(e.toString());
                }
            }
        });
        for (int i = 1; i <= 60; i++) {
            sw.switchTo(set(Integer.toString(i)));
            sw.prune();
        }
        stop.set(true);
        reader.join();
        assertEquals(null, problem.get());
        assertTrue(reads.get() > 0, "the reader ran");
    }
}
