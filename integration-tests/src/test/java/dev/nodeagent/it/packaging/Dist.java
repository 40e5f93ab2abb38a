package dev.nodeagent.it.packaging;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build put things: system properties set by the failsafe configuration. */
final class Dist {

    private Dist() {
    }

    static Path home() {
        Path p = Path.of(System.getProperty("nodeagent.dist", "../packaging/target/node-agent")).toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("lib"))) {
            throw new AssertionError("no distribution at " + p + ": run ./mvnw package first");
        }
        return p;
    }

    static Path repo() {
        return Path.of(System.getProperty("nodeagent.repo", "..")).toAbsolutePath().normalize();
    }

    static Path deb() {
        return Path.of(System.getProperty("nodeagent.deb", "")).toAbsolutePath().normalize();
    }
}
