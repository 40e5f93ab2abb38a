package dev.nodeagent.agent;

import dev.nodeagent.api.BuildInfo;
import dev.nodeagent.agent.config.AgentConfig;
import dev.nodeagent.agent.config.ConfigException;
import dev.nodeagent.agent.config.ConfigLoader;
import dev.nodeagent.agent.demo.DemoSandbox;
import dev.nodeagent.agent.logging.LogSetup;
import dev.nodeagent.agent.preflight.Preflight;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code node-agent}: the daemon's command line. Exit codes: 0 ok, 1 failed, 2 bad usage or config. */
@Command(name = "node-agent", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Keeps this Kubernetes node in its declared state and reports the truth about it.", ""},
        subcommands = {Main.Run.class, Main.CheckConfig.class, Main.CheckNode.class, Main.Demo.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped cleanly (SIGTERM/SIGINT), or the command succeeded",
            "1:failed to start (HTTP port taken, another agent on the control socket, ...)",
            "2:bad usage or an invalid config (nothing is started)"},
        footerHeading = "%nFiles and environment:%n",
        footer = {"  /etc/node-agent/agent.yaml    the config (examples: ../config/)",
            "  /run/node-agent/control.sock  the socket agentctl talks to (controlSocket)",
            "  NOTIFY_SOCKET, WATCHDOG_USEC  set by systemd (Type=notify): the agent sends",
            "                                READY, STATUS, WATCHDOG and STOPPING",
            "  NODE_AGENT_JAVA_OPTS          extra JVM flags for the launcher",
            "  NODE_AGENT_NATIVE_DIR         where jnr's native library is unpacked",
            "                                (must allow exec: the unit uses /var/lib)",
            "",
            "HTTP: /status /healthz /readyz /metrics (default 127.0.0.1:9478)."})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExitCodeExceptionMapper(e -> 1)
                .setParameterExceptionHandler((ex, args) -> {
                    PrintWriter err = ex.getCommandLine().getErr();
                    err.println("node-agent: " + ex.getMessage());
                    err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
                    return 2;
                });
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the agent in the foreground (what the systemd unit does).")
    static final class Run implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Config file (default: ${DEFAULT-VALUE}).",
                defaultValue = ConfigLoader.DEFAULT_PATH)
        Path config;

        @Override
        public Integer call() {
            AgentConfig cfg = loadOrReport(config);
            return cfg == null ? 2 : runAgent(cfg, null);
        }
    }

    @Command(name = "check-config", mixinStandardHelpOptions = true,
            description = "Validate a config file: prints every problem (file:line: key: message), exit 2 if any.")
    static final class CheckConfig implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", defaultValue = ConfigLoader.DEFAULT_PATH, description = "Config file (default: ${DEFAULT-VALUE}).")
        Path config;

        @Override
        public Integer call() {
            AgentConfig cfg = loadOrReport(config);
            if (cfg == null) {
                return 2;
            }
            System.out.println(config + ": ok (node " + cfg.node().name() + ", role " + cfg.node().role().wire()
                    + ", reconcilers: " + String.join(", ", Reconcilers.enabledNames(cfg)) + ")");
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Run every enabled reconciler's pass once in the foreground (no daemon, no HTTP) and print each"
                    + " result and check, like a preflight. Exit 0 when none failed, 1 otherwise, 2 for a bad config.")
    static final class CheckNode implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Config file (default: ${DEFAULT-VALUE}).",
                defaultValue = ConfigLoader.DEFAULT_PATH)
        Path config;

        @Override
        public Integer call() throws InterruptedException {
            AgentConfig cfg = loadOrReport(config);
            if (cfg == null) {
                return 2;
            }
            LogSetup.configure("error", cfg.log().format()); // the report says it all; no per-pass log lines
            return new Preflight(cfg, InstantSource.system()).run(System.out);
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = {"Run the agent on a sandbox host root (no cluster, no root needed).",
                "Creates DIR with a CNI bin dir and DIR/etc/node-agent/agent.yaml, then runs the agent in the foreground."})
    static final class Demo implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "node-agent-demo", description = "Sandbox directory (default: ./${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--listen", paramLabel = "ADDR", defaultValue = ConfigLoader.DEFAULT_LISTEN, description = "HTTP address (default: ${DEFAULT-VALUE}).")
        String listen;

        @Option(names = "--setup-only", description = "Only create the sandbox and its config; do not run the agent.")
        boolean setupOnly;

        @Override
        public Integer call() throws IOException {
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
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"node-agent " + BuildInfo.version() + " (Java " + Runtime.version() + ")"};
        }
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
