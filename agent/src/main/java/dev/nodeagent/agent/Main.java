package dev.nodeagent.agent;

import dev.nodeagent.agent.MainArgs.Invocation;
import dev.nodeagent.agent.MainArgs.UsageException;
import dev.nodeagent.agent.config.AgentConfig;
import dev.nodeagent.agent.config.ConfigException;
import dev.nodeagent.agent.config.ConfigLoader;
import dev.nodeagent.agent.demo.DemoSandbox;
import dev.nodeagent.agent.logging.LogSetup;
import dev.nodeagent.agent.preflight.Preflight;
import dev.nodeagent.agent.reconcilers.certbundle.CertBundleSettings;
import dev.nodeagent.agent.reconcilers.certbundle.HostAccounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;

/**
 * {@code node-agent}: the daemon's command line. Exit codes: 0 ok, 1 failed, 2 bad usage or config.
 * <p>
 * Parsed by hand, not with picocli (which agentctl uses): picocli's Java-5 class files cannot be AOT-linked and go
 * through the old verifier, which cost the daemon's start ≈150 ms CPU on the main thread for five commands and a
 * handful of options (see {@link MainArgs}).
 */
public final class Main {

    public static void main(String[] args) {
        // jnr-ffi (the control socket, sd_notify) otherwise generates its native call stubs with ASM at run time:
        // ≈0.3 s CPU at start and 2 MiB for a handful of calls that are rare and not hot. Its reflection-based
        // loader does the same calls. Read once in NativeLibraryLoader's static initializer, so set it first;
        // -Djnr.ffi.asm.enabled=true in NODE_AGENT_JAVA_OPTS still wins.
        if (System.getProperty("jnr.ffi.asm.enabled") == null) {
            System.setProperty("jnr.ffi.asm.enabled", "false");
        }
        System.exit(execute(args));
    }

    /** Parses and runs; returns the exit code. */
    static int execute(String[] args) {
        Invocation inv;
        try {
            inv = MainArgs.parse(args);
        } catch (UsageException e) {
            System.err.println("node-agent: " + e.getMessage());
            System.err.println("Try '" + e.command + " --help'.");
            return 2;
        }
        try {
            return execute(inv);
        } catch (Exception e) {
            e.printStackTrace();
            return 1;
        }
    }

    private static int execute(Invocation inv) throws Exception {
        return switch (inv.command()) {
            case "print" -> {
                System.out.print(inv.text());
                System.out.flush();
                yield 0;
            }
            case "run" -> run(inv.config());
            case "check-config" -> checkConfig(inv.config());
            case "check" -> checkNode(inv.config());
            case "demo" -> demo(inv.dir(), inv.listen(), inv.setupOnly());
            default -> throw new IllegalStateException(inv.command());
        };
    }

    static int run(Path config) {
        AgentConfig cfg = loadOrReport(config);
        return cfg == null ? 2 : runAgent(cfg, null);
    }

    static int checkConfig(Path config) {
        AgentConfig cfg = loadOrReport(config);
        if (cfg == null) {
            return 2;
        }
        CertBundleSettings certs = cfg.settings("certBundle", CertBundleSettings.class);
        // Owners/groups must exist on the node that runs it; not inside a Nix build (the NixOS module's
        // system.checks runs check-config in a sandbox that has only the nixbld users).
        boolean nixBuild = System.getenv("NIX_BUILD_TOP") != null;
        List<String> accounts = certs == null || nixBuild ? List.of() : HostAccounts.problems(certs);
        if (!accounts.isEmpty()) {
            accounts.forEach(p -> System.err.println(config + ": " + p));
            System.err.println("node-agent: " + accounts.size() + " problem(s) in " + config);
            return 2;
        }
        System.out.println(config + ": ok (node " + cfg.node().name() + ", role " + cfg.node().role().wire()
                + ", reconcilers: " + String.join(", ", Reconcilers.enabledNames(cfg)) + ")");
        return 0;
    }

    static int checkNode(Path config) throws InterruptedException {
        AgentConfig cfg = loadOrReport(config);
        if (cfg == null) {
            return 2;
        }
        LogSetup.configure("error", cfg.log().format()); // the report says it all; no per-pass log lines
        return new Preflight(cfg, InstantSource.system(), Reconcilers.enabledNames(cfg),
                services -> Reconcilers.create(cfg, services)).run(System.out);
    }

    static int demo(Path dir, String listen, boolean setupOnly) throws IOException {
        DemoSandbox sandbox = new DemoSandbox(dir, listen);
        Path configFile = sandbox.setUp();
        System.out.println("demo sandbox: " + sandbox.dir());
        System.out.println("config:       " + configFile);
        if (setupOnly) {
            System.out.println("run it with:  node-agent run --config " + configFile);
            return 0;
        }
        AgentConfig cfg = loadOrReport(configFile);
        if (cfg == null) {
            return 2;
        }
        String base = "http://" + (cfg.http().host().contains(":") ? "[" + cfg.http().host() + "]" : cfg.http().host())
                + ":" + cfg.http().port();
        String hint = String.join("\n",
                "try:",
                "  curl -s " + base + "/status",
                "  curl -s " + base + "/readyz",
                "  curl -s " + base + "/metrics | grep ^node_agent_",
                "  curl -s " + base + "/metrics | grep ^x509_          # the demo cert bundle's expiry",
                "  ls -l " + sandbox.dir().resolve("run/node-agent/certs/") + "   # the decrypted bundle",
                "  rm " + sandbox.dir().resolve("opt/cni/bin/calico-ipam") + "   # restored within one interval",
                "  agentctl status --socket " + sandbox.dir().resolve(cfg.controlSocket().substring(1)),
                "stop with Ctrl-C");
        return runAgent(cfg, hint);
    }

    /** Loads the config, or prints every problem to stderr and returns null. */
    static AgentConfig loadOrReport(Path file) {
        try {
            return new ConfigLoader(Reconcilers.configSections(), defaultNodeName()).load(file);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.err.println("node-agent: " + e.problems().size() + " problem(s) in " + file + "; nothing started");
            return null;
        }
    }

    /** Runs until SIGTERM/SIGINT, then stops the loops within a bounded time and returns 0. */
    static int runAgent(AgentConfig cfg, String hint) {
        LogSetup.configure(cfg.log().level(), cfg.log().format());
        CountDownLatch stop = new CountDownLatch(1);
        // Own handlers instead of shutdown hooks: with hooks the JVM still exits 143 on SIGTERM.
        for (String sig : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> stop.countDown());
        }
        try (Agent agent = new Agent(cfg, InstantSource.system(), RandomGenerator.getDefault())) {
            try {
                agent.start();
            } catch (RuntimeException e) {
                System.err.println("node-agent: cannot start: " + e.getMessage());
                return 1;
            }
            if (hint != null) {
                System.out.println(hint);
            }
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The kernel's host name, as the kubelet uses it by default. */
    static String defaultNodeName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
