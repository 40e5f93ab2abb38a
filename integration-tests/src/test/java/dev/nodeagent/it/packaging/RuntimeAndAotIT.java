package dev.nodeagent.it.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution's jlink runtime and AOT cache, driven through the real launchers. */
class RuntimeAndAotIT {

    private static final Duration T = Duration.ofMinutes(2);
    private static final Map<String, String> DEBUG = Map.of("NODE_AGENT_LAUNCHER_DEBUG", "1");

    @Test
    void theRuntimeHasTheModulesJdepsFoundPlusTheDeliberateOnesAndNoJavaDesktop() {
        Path java = Dist.home().resolve("runtime/bin/java");
        assumeTrue(Files.isExecutable(java), "no bundled runtime in " + Dist.home());
        String modules = Proc.run(java.toString(), "--list-modules").ok("java --list-modules").output();
        for (String m : List.of("java.base", "java.net.http", "java.sql", "java.naming", "jdk.management", "jdk.unsupported",
                "jdk.net", "jdk.crypto.ec", "java.logging", "java.xml")) {
            assertTrue(modules.contains(m + "@"), "runtime lacks " + m + ":\n" + modules);
        }
        assertFalse(modules.contains("java.desktop@"), "java.desktop should have been dropped:\n" + modules);
        assertFalse(modules.contains("jdk.compiler@"), modules);
    }

    @Test
    void kubeconfigYamlAndTheFabric8JdkClientWorkOnTheRuntimeWithoutJavaDesktop() {
        Path java = Dist.home().resolve("runtime/bin/java");
        assumeTrue(Files.isExecutable(java), "no bundled runtime in " + Dist.home());
        String testClasses = Path.of(KubeconfigProbe.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        String cp = testClasses + ":" + Dist.home().resolve("lib") + "/*";
        Proc p = Proc.run(T, Map.of(), List.of(java.toString(), "-cp", cp, KubeconfigProbe.class.getName())).ok("probe");
        assertTrue(p.output().contains("probe ok"), p.output());
        assertTrue(p.output().contains("java.desktop=false"), p.output());
        assertTrue(p.output().contains("master=https://cp1.tail1234.ts.net:6443"), p.output());
        assertTrue(p.output().contains("http=io.fabric8.kubernetes.client.jdkhttp"), p.output());
    }

    @Test
    void theWorkerAndControlPlaneExamplesPassCheckConfigOnTheBundledRuntime() throws IOException {
        Path home = Dist.home();
        // (demo.yaml points at its sandbox, which only `node-agent demo` creates)
        try (Stream<Path> configs = Files.list(home.resolve("config"))) {
            for (Path c : configs.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("demo.yaml")).sorted().toList()) {
                Proc p = Proc.run(T, DEBUG, List.of(home.resolve("bin/node-agent").toString(), "check-config", c.toString()))
                        .ok("check-config " + c);
                assertTrue(p.output().startsWith("launcher: " + home.resolve("runtime/bin/java") + " "), p.output());
                assertTrue(p.output().contains(c + ": ok"), p.output());
            }
        }
    }

    @Test
    void theBuildTimeAotCacheServesClassesAfterRelocationAndIsIgnoredOnceAJarChanges(@TempDir Path tmp) throws IOException {
        Path home = Dist.home();
        boolean hasCache;
        try (Stream<Path> aot = Files.exists(home.resolve("aot")) ? Files.list(home.resolve("aot")) : Stream.empty()) {
            hasCache = aot.anyMatch(f -> f.getFileName().toString().startsWith("node-agent-"));
        }
        assumeTrue(hasCache, "no AOT cache in " + home + " (built with -Daot.skip?)");
        // A relocated copy, as after unpacking the tarball elsewhere: jars copied with their mtimes.
        Path copy = tmp.resolve("node-agent");
        Files.createDirectories(copy);
        Proc.run("cp", "-a", home.resolve("bin").toString(), home.resolve("lib").toString(), home.resolve("config").toString(),
                copy.toString()).ok("cp");
        Files.createSymbolicLink(copy.resolve("runtime"), home.resolve("runtime"));
        Files.createSymbolicLink(copy.resolve("aot"), home.resolve("aot"));
        String launcher = copy.resolve("bin/node-agent").toString();

        Map<String, String> classLoadLog = Map.of("NODE_AGENT_LAUNCHER_DEBUG", "1", "NODE_AGENT_JAVA_OPTS", "-Xlog:class+load=info");
        Proc used = Proc.run(T, classLoadLog, List.of(launcher, "--version")).ok("--version with cache");
        assertTrue(used.output().contains("-XX:AOTCache=" + copy.resolve("aot") + "/node-agent-"), used.output());
        long shared = used.output().lines().filter(l -> l.contains("source: shared objects file")).count();
        assertTrue(shared > 500, "the cache was not used (" + shared + " classes from it):\n" + tail(used.output()));
        // Bouncy Castle ships signed jars, whose classes the JVM keeps out of any CDS/AOT cache; the build unsigns them.
        assertTrue(used.output().lines().anyMatch(l -> l.contains(" org.bouncycastle.") && l.contains("source: shared objects file")),
                "no Bouncy Castle class came from the AOT cache:\n" + tail(used.output()));

        // agentctl picks its cache by command and input size: agentctl-age for a key file, agentctl-bulk (trained with
        // C2 on a large file) from 4 MiB. The launcher only stats the input, so a sparse file will do.
        Path big = tmp.resolve("big.age");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(5L << 20);
        }
        Path small = tmp.resolve("small.age");
        Files.write(small, new byte[2048]);
        for (Map.Entry<Path, String> c : Map.of(small, "/agentctl-age-", big, "/agentctl-bulk-").entrySet()) {
            Proc p = Proc.run(T, DEBUG, List.of(copy.resolve("bin/agentctl").toString(), "decrypt", "-i",
                    tmp.resolve("no-such-key").toString(), c.getKey().toString()));
            assertTrue(p.output().contains("-XX:AOTCache=" + copy.resolve("aot") + c.getValue()), p.output());
        }

        // Same size, new mtime: what a rebuilt SNAPSHOT jar looks like. The stale cache must not be offered.
        Path jar;
        try (Stream<Path> jars = Files.list(copy.resolve("lib"))) {
            jar = jars.filter(f -> f.getFileName().toString().startsWith("agent-0")).findFirst().orElseThrow();
        }
        Proc.run("touch", "-d", "2020-01-01 00:00:00", jar.toString()).ok("touch");
        Proc stale = Proc.run(T, DEBUG, List.of(launcher, "--version")).ok("--version after a jar changed");
        assertFalse(stale.output().contains("-XX:AOTCache="), stale.output());
        assertTrue(stale.output().contains("node-agent "), stale.output());
        Proc status = Proc.run(T, Map.of(), List.of(copy.resolve("bin/aot-cache").toString(), "status")).ok("aot-cache status");
        assertTrue(status.output().contains("node-agent: no cache for key"), status.output());
        assertEquals(0, Proc.run(T, Map.of("NODE_AGENT_AOT", "off"), List.of(launcher, "--version")).exit());
    }

    @Test
    void withoutTheBundledRuntimeTheLaunchersPickAJava21OrNewerByItsReleaseFileAndFollowSymlinks(@TempDir Path tmp)
            throws IOException {
        Path home = Dist.home();
        Path realJava = Path.of(System.getProperty("java.home"), "bin/java"); // the toolchain's JDK (>= 21)
        Path copy = tmp.resolve("node-agent");
        Files.createDirectories(copy);
        Proc.run("cp", "-a", home.resolve("bin").toString(), home.resolve("lib").toString(), copy.toString()).ok("cp");
        // Two fake JDK homes around the real java binary: only their release files differ. The 21 one has comment
        // lines and no newline at the end (the launcher reads the file with `read`, not sed).
        Path jdk17 = fakeJdk(tmp.resolve("jdk17"), realJava, "JAVA_VERSION=\"17.0.2\"\n");
        Path jdk21 = fakeJdk(tmp.resolve("jdk21"), realJava, "IMPLEMENTOR=\"test\"\nJAVA_RUNTIME_VERSION=\"9\"\nJAVA_VERSION=\"21.0.5\"");
        Path link = tmp.resolve("usr-bin/agentctl"); // like /usr/bin/agentctl -> /usr/lib/node-agent/bin/agentctl
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, copy.resolve("bin/agentctl"));

        Proc p21 = Proc.run(T, Map.of("NODE_AGENT_LAUNCHER_DEBUG", "1", "JAVA_HOME", jdk21.toString()),
                List.of(link.toString(), "--version")).ok("agentctl --version with JAVA_HOME=21 via a symlink");
        assertTrue(p21.output().startsWith("launcher: " + jdk21.resolve("bin/java") + " "), p21.output());
        assertTrue(p21.output().contains(" -cp " + copy.resolve("lib") + "/"), p21.output());
        assertFalse(p21.output().contains("-XX:AOTCache"), "AOT caches need Java 25: " + p21.output());
        assertTrue(p21.output().contains("agentctl "), p21.output());

        // JAVA_HOME too old: skipped for a Java >= 21 under /usr/lib/jvm (where this machine's toolchain JDK lives)
        Proc p17 = Proc.run(T, Map.of("NODE_AGENT_LAUNCHER_DEBUG", "1", "JAVA_HOME", jdk17.toString()),
                List.of(copy.resolve("bin/node-agent").toString(), "--version")).ok("node-agent --version with JAVA_HOME=17");
        assertFalse(p17.output().contains(jdk17.toString()), p17.output());
        assumeTrue(realJava.startsWith("/usr/lib/jvm/"), "the toolchain JDK is not under /usr/lib/jvm: " + realJava);
        assertTrue(p17.output().startsWith("launcher: /usr/lib/jvm/"), p17.output());
        assertTrue(p17.output().contains("node-agent "), p17.output());
    }

    /**
     * Runtimes whose release file says 21, 24 and 25, each with a {@code bin/java} that only records its arguments:
     * flags a JDK 21 or 24 refuses ("Unrecognized VM option", e.g. nixpkgs' jdk21_headless) must not reach them.
     */
    @Test
    void theLaunchersPassVersionSpecificFlagsOnlyToARuntimeWhoseReleaseAllowsThem(@TempDir Path tmp) throws IOException {
        Path home = Dist.home();
        Path copy = tmp.resolve("node-agent"); // no bundled runtime, as in the Nix package
        Files.createDirectories(copy);
        Proc.run("cp", "-a", home.resolve("bin").toString(), home.resolve("lib").toString(), copy.toString()).ok("cp");
        Map<String, List<String>> onlyFrom = Map.of(
                "-XX:TrimNativeHeapInterval=5000", List.of("24", "25"),
                "-XX:+UseCompactObjectHeaders", List.of("25"));
        for (String version : List.of("21.0.5", "24.0.1", "25.0.1")) {
            String major = version.substring(0, 2);
            Path jdk = tmp.resolve("jdk" + major);
            Files.createDirectories(jdk.resolve("bin"));
            Path javaBin = jdk.resolve("bin/java");
            Files.writeString(javaBin, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"" + jdk.resolve("args") + "\"\n");
            Files.setPosixFilePermissions(javaBin, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
            for (String program : List.of("node-agent", "agentctl")) {
                Files.deleteIfExists(jdk.resolve("args"));
                Proc.run(T, Map.of("JAVA_HOME", jdk.toString()), List.of(copy.resolve("bin/" + program).toString(),
                        "--version")).ok(program + " on a fake JDK " + version);
                List<String> args = Files.readAllLines(jdk.resolve("args"));
                assertTrue(args.contains("-cp"), program + " on " + version + " did not start java: " + args);
                for (Map.Entry<String, List<String>> flag : onlyFrom.entrySet()) {
                    boolean expected = program.equals("node-agent") && flag.getValue().contains(major);
                    assertEquals(expected, args.contains(flag.getKey()), program + " on JDK " + version + ": " + args);
                }
                if (!major.equals("25")) {
                    assertFalse(args.stream().anyMatch(a -> a.startsWith("-XX:AOT") || a.contains("AOTCompileEagerly")),
                            program + " on JDK " + version + " got an AOT flag: " + args);
                }
            }
        }
    }

    private static Path fakeJdk(Path dir, Path realJava, String release) throws IOException {
        Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(dir.resolve("bin/java"), realJava);
        Files.writeString(dir.resolve("release"), release);
        return dir;
    }

    @Test
    void noJarInTheDistributionIsSignedOrCarriesPerEntryManifestDigests() throws IOException {
        try (Stream<Path> jars = Files.list(Dist.home().resolve("lib"))) {
            for (Path jar : jars.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                try (JarFile jf = new JarFile(jar.toFile(), false)) {
                    List<String> signatureFiles = jf.stream().map(JarEntry::getName)
                            .filter(n -> n.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)")).toList();
                    assertEquals(List.of(), signatureFiles, jar + " is signed");
                    Manifest mf = jf.getManifest();
                    assertTrue(mf == null || mf.getEntries().isEmpty(), jar + " keeps " + (mf == null ? 0 : mf.getEntries().size())
                            + " per-entry manifest sections");
                }
            }
        }
    }

    private static String tail(String s) {
        List<String> lines = s.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
