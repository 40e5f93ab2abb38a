package dev.nodeagent.agent.demo;

import dev.nodeagent.agent.host.AtomicWriter;
import dev.nodeagent.agent.host.FileMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;

/**
 * Creates (or reuses) a sandbox host root: a CNI bin dir with a {@code calico} stand-in, a throwaway SSH host
 * key with a cert bundle encrypted to it ({@link DemoBundle}), and the demo config
 * (embedded from {@code config/demo.yaml}) with its host root and listen address filled in. Re-running it is
 * harmless: files already right are left alone.
 */
public final class DemoSandbox {

    public static final String CONFIG_PATH = "etc/node-agent/agent.yaml";
    private static final String CALICO_STANDIN = """
            #!/bin/sh
            # node-agent demo: a stand-in for the Calico CNI plugin (calico and calico-ipam are one binary).
            echo "calico stand-in: $(basename "$0") $*"
            """;

    private static final String PORTMAP_STANDIN = """
            #!/bin/sh
            # node-agent demo: a stand-in for the portmap CNI plugin (named in the Calico conflist).
            echo "portmap stand-in: $*"
            """;

    private final Path dir;
    private final String listen;
    private final AtomicWriter writer = new AtomicWriter();

    public DemoSandbox(Path dir, String listen) {
        this.dir = dir.toAbsolutePath().normalize();
        this.listen = listen;
    }

    public Path dir() {
        return dir;
    }

    /** Sets the sandbox up and returns the path of its agent.yaml. */
    public Path setUp() throws IOException {
        Files.createDirectories(dir.resolve("opt/cni/bin"));
        Files.createDirectories(dir.resolve("run/node-agent"));
        Files.createDirectories(dir.resolve("etc/cni/net.d"));
        Files.createDirectories(dir.resolve("var/lib/node-agent"));
        writer.write(dir.resolve("opt/cni/bin/calico"), CALICO_STANDIN.getBytes(StandardCharsets.UTF_8), FileMode.of(0755));
        writer.write(dir.resolve("opt/cni/bin/portmap"), PORTMAP_STANDIN.getBytes(StandardCharsets.UTF_8), FileMode.of(0755));
        Path config = dir.resolve(CONFIG_PATH);
        String rendered = renderConfig();
        writer.write(config, rendered.getBytes(StandardCharsets.UTF_8), FileMode.of(0644));
        DemoBundle.ensure(dir, nodeName(rendered));
        return config;
    }

    String renderConfig() {
        String template = template();
        template = template.replaceFirst("(?m)^hostRoot: .*$", Matcher.quoteReplacement("hostRoot: " + dir));
        return template.replaceFirst("(?m)^  listen: .*$", Matcher.quoteReplacement("  listen: " + listen));
    }

    /** {@code node.name} of the demo config (the bundle is made for it). */
    static String nodeName(String config) {
        Matcher m = java.util.regex.Pattern.compile("(?m)^  name: *(\\S+)").matcher(config);
        return m.find() ? m.group(1) : "demo-node";
    }

    static String template() {
        try (InputStream in = DemoSandbox.class.getResourceAsStream("demo.yaml")) {
            if (in == null) {
                throw new IllegalStateException("demo.yaml is missing from the agent jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
