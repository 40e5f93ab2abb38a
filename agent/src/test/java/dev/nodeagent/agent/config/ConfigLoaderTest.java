package dev.nodeagent.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.Reconcilers;
import dev.nodeagent.agent.reconcilers.cniipam.CniIpamLinkReconciler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

    private final ConfigLoader loader = new ConfigLoader(Reconcilers.configSections(), "host1");

    @Test
    void aMinimalWorkerConfigGetsEveryDefault() throws Exception {
        AgentConfig c = loader.parse("node:\n  role: worker\n", "agent.yaml");
        assertEquals("host1", c.node().name());
        assertEquals(Role.WORKER, c.node().role());
        assertEquals(Path.of("/"), c.hostRoot());
        assertEquals("127.0.0.1:9478", c.http().listen());
        assertEquals("/run/node-agent/control.sock", c.controlSocket());
        assertEquals("info", c.log().level());
        var ipam = c.reconcilers().get("cniIpamLink");
        assertTrue(ipam.enabled());
        assertEquals(Duration.ofMinutes(5), ipam.interval(), "watched: the interval is only a safety resync");
        assertEquals(new CniIpamLinkReconciler.Settings("/opt/cni/bin", "calico", "calico-ipam"), ipam.settings());
    }

    @Test
    void everyKeyIsRead(@org.junit.jupiter.api.io.TempDir Path root) throws Exception {
        AgentConfig c = loader.parse("""
                node:
                  name: cp1.example
                  role: control-plane
                hostRoot: %s
                http:
                  listen: "[::1]:9000"
                controlSocket: /run/x.sock
                log:
                  level: DEBUG
                  format: journal
                reconcilers:
                  cniIpamLink:
                    enabled: false
                    interval: 1m30s
                    timeout: 500ms
                    binDir: /var/lib/cni/bin
                """.formatted(root), "agent.yaml");
        assertEquals("cp1.example", c.node().name());
        assertEquals(Role.CONTROL_PLANE, c.node().role());
        assertEquals(root, c.hostRoot());
        assertEquals("::1", c.http().host());
        assertEquals(9000, c.http().port());
        assertEquals("debug", c.log().level());
        assertEquals(AgentConfig.LogFormat.JOURNAL, c.log().format());
        var ipam = c.reconcilers().get("cniIpamLink");
        assertEquals(false, ipam.enabled());
        assertEquals(Duration.ofSeconds(90), ipam.interval());
        assertEquals(Duration.ofMillis(500), ipam.timeout());
        assertEquals("/var/lib/cni/bin", c.settings("cniIpamLink", CniIpamLinkReconciler.Settings.class).binDir());
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("relative path", "reconcilers:\n  cniIpamLink:\n    binDir: opt/cni/bin\n",
                        List.of("agent.yaml:3: reconcilers.cniIpamLink.binDir: must be an absolute path")),
                Arguments.of("unknown top-level key", "node:\n  role: worker\nnodes: {}\n",
                        List.of("agent.yaml:3: nodes: unknown key")),
                Arguments.of("unknown nested key", "node:\n  role: worker\n  rolle: x\n",
                        List.of("agent.yaml:3: node.rolle: unknown key")),
                Arguments.of("unknown reconciler", "reconcilers:\n  cniIpamLnk: {}\n",
                        List.of("agent.yaml:2: reconcilers.cniIpamLnk: unknown reconciler; known: " + knownKeys())),
                Arguments.of("unknown reconciler setting", "reconcilers:\n  cniIpamLink:\n    bindir: /x\n",
                        List.of("agent.yaml:3: reconcilers.cniIpamLink.bindir: unknown key")),
                Arguments.of("bad duration", "reconcilers:\n  cniIpamLink:\n    interval: 10 seconds\n",
                        List.of("agent.yaml:3: reconcilers.cniIpamLink.interval: must be a duration like 500ms, 30s, 5m or 1h, not '10 seconds'")),
                Arguments.of("zero duration", "reconcilers:\n  cniIpamLink:\n    interval: 0s\n",
                        List.of("agent.yaml:3: reconcilers.cniIpamLink.interval: must be longer than zero")),
                Arguments.of("wrong type boolean", "reconcilers:\n  cniIpamLink:\n    enabled: yes please\n",
                        List.of("agent.yaml:3: reconcilers.cniIpamLink.enabled: must be true or false, not 'yes please'")),
                Arguments.of("mapping where a value belongs", "node:\n  role:\n    a: b\n",
                        List.of("agent.yaml:3: node.role: must be a single value, not a list or mapping")),
                Arguments.of("bad role", "node:\n  role: master\n",
                        List.of("agent.yaml:2: node.role: must be one of worker, control-plane, not 'master'")),
                Arguments.of("bad node name", "node:\n  name: My_Laptop\n",
                        List.of("agent.yaml:2: node.name: must be a lower-case DNS name (RFC 1123), not 'My_Laptop'")),
                Arguments.of("bad listen", "http:\n  listen: localhost\n",
                        List.of("agent.yaml:2: http.listen: must be HOST:PORT (e.g. 127.0.0.1:9478 or [::1]:9478), not 'localhost'")),
                Arguments.of("port out of range", "http:\n  listen: 127.0.0.1:70000\n",
                        List.of("agent.yaml:2: http.listen: must be HOST:PORT (e.g. 127.0.0.1:9478 or [::1]:9478), not '127.0.0.1:70000'")),
                Arguments.of("bad log level", "log:\n  level: loud\n",
                        List.of("agent.yaml:2: log.level: must be one of trace, debug, info, warn, error")),
                Arguments.of("missing host root", "hostRoot: /does/not/exist/anywhere\n",
                        List.of("agent.yaml:1: hostRoot: directory /does/not/exist/anywhere does not exist")),
                Arguments.of("link name with a slash", "reconcilers:\n  cniIpamLink:\n    link: ../calico-ipam\n",
                        List.of("agent.yaml:3: reconcilers.cniIpamLink.link: must be a plain file name inside binDir")),
                Arguments.of("section is a list", "reconcilers:\n  - cniIpamLink\n",
                        List.of("agent.yaml:2: reconcilers: must be a mapping (key: value lines)")),
                Arguments.of("duplicate key", "node:\n  role: worker\nnode:\n  role: worker\n",
                        List.of("agent.yaml:3: node: duplicate key (first at line 1)")),
                Arguments.of("broken YAML", "node:\n  role: [worker\n",
                        List.of("agent.yaml:3: not valid YAML: expected ',' or ']', but got <stream end>")),
                Arguments.of("empty file", "", List.of("agent.yaml: the file is empty; at least `node.role` is expected")),
                Arguments.of("several problems at once",
                        "node:\n  role: boss\nreconcilers:\n  cniIpamLink:\n    binDir: relative\n    interval: soon\n",
                        List.of("agent.yaml:2: node.role: must be one of worker, control-plane, not 'boss'",
                                "agent.yaml:5: reconcilers.cniIpamLink.binDir: must be an absolute path",
                                "agent.yaml:6: reconcilers.cniIpamLink.interval: must be a duration like 500ms, 30s, 5m or 1h, not 'soon'")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badConfigsAreRejectedWithOneLinePerProblem(String name, String yaml, List<String> expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse(yaml, "agent.yaml"));
        assertEquals(expected, e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void aMissingFileIsOneProblemNamingIt(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(missing));
        assertEquals(List.of(missing + ": no such file"), e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void theShippedExampleConfigsAreValid() throws Exception {
        Path configDir = Path.of("..", "config");
        try (Stream<Path> files = Files.list(configDir)) {
            List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertTrue(yamls.size() >= 3, "worker, control-plane and demo examples expected in " + configDir);
            for (Path p : yamls) {
                // The demo's hostRoot is filled in by `node-agent demo`; point it at an existing dir here.
                String text = Files.readString(p).replaceFirst("(?m)^hostRoot: .*$", "hostRoot: /");
                AgentConfig c = loader.parse(text, p.toString());
                assertTrue(c.reconcilers().get("cniIpamLink").enabled(), p + " enables cniIpamLink");
            }
        }
    }

    private static String knownKeys() {
        return String.join(", ", Reconcilers.configSections().stream().map(ConfigSection::key).toList());
    }
}
