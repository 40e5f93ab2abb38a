package dev.nodeagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the daemon's HTTP server costs in loaded classes. Every loaded class costs RSS (~6.8 KiB: the AOT cache
 * links every class it holds at start, and the cache holds what the training run loaded), and RSS has a target.
 * The benchmark's workload ({@code run} of a {@code demo --setup-only} sandbox, as packaging/bench/bench.sh), with
 * {@code -Xlog:class+load}, after every route was served once.
 */
class LoadedClassesIT {

    @Test
    void theHttpServerLoadsNeitherHelidonsConfigMachineryNorDiscoveredServices(@TempDir Path tmp) throws Exception {
        int port = Dist.freePort();
        Dist.Result setup = Dist.run(Duration.ofSeconds(120), "node-agent", "demo", "--setup-only", "--dir",
                tmp.resolve("demo").toString(), "--listen", "127.0.0.1:" + port);
        assertEquals(0, setup.exitCode(), setup.output());
        Path classLog = tmp.resolve("classes.log");
        Path log = tmp.resolve("agent.log");
        Process agent = Dist.start(log, Map.of("NODE_AGENT_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog),
                "node-agent", "run", "--config", tmp.resolve("demo/etc/node-agent/agent.yaml").toString());
        try {
            String base = "http://127.0.0.1:" + port;
            assertTrue(Dist.awaitOk(Duration.ofSeconds(60), base + "/readyz"), () -> "not ready:\n" + read(log));
            for (String path : List.of("/status", "/status?pretty", "/healthz", "/metrics", "/")) {
                assertEquals(200, Dist.get(base + path).statusCode(), path);
            }
            assertEquals(200, Dist.get(base + "/metrics", "Accept", "application/openmetrics-text").statusCode());
        } finally {
            agent.destroy();
            agent.waitFor(30, TimeUnit.SECONDS);
            agent.destroyForcibly();
        }
        List<String> helidon = Files.readAllLines(classLog).stream()
                .filter(l -> l.contains("[class,load]"))
                .map(l -> l.substring(l.indexOf("[class,load]") + "[class,load]".length()).trim().split(" ")[0])
                .filter(c -> c.startsWith("io.helidon."))
                .toList();
        assertTrue(helidon.contains("io.helidon.webserver.LoomServer"), "the log has no server class: " + classLog);
        // Config.empty(), which the server's builders use when given no config, is a config built by Helidon's
        // config machinery (sources, overrides, change polling): 170 classes. HttpApi gives them MissingConfig.
        assertEquals(List.of(), helidon.stream()
                .filter(c -> c.startsWith("io.helidon.config.BuilderImpl") || c.startsWith("io.helidon.config.EmptyConfig"))
                .toList());
        // Helidon's default global service registry discovers the services of every Helidon jar (each one a
        // generated __ServiceDescriptor class: config, metrics, web server, ...) when routing first asks it for
        // mapper providers: ~530 classes. HttpApi sets a registry without discovery holding the registry's own services
        // and the two mapper services (the default mapper provider and the global mappers).
        assertEquals(List.of(), helidon.stream()
                .filter(c -> c.contains("__ServiceDescriptor"))
                .filter(c -> !c.startsWith("io.helidon.service.registry.") && !c.startsWith("io.helidon.common.mapper."))
                .toList());
        // All of Helidon: 952 classes with the AOT cache (2026-11-24, Helidon 4.5.0; 1,296 before the two changes
        // above). A ceiling with some room, so that what pulls a new group of framework classes in shows up here,
        // not only as RSS.
        assertTrue(helidon.size() <= 1000, helidon.size() + " Helidon classes loaded; see " + classLog);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
