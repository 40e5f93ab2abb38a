package dev.nodeagent.agent;

import dev.nodeagent.agent.config.ConfigLoader;
import dev.nodeagent.api.BuildInfo;
import java.nio.file.Path;

/**
 * The daemon's command line, parsed by hand into an {@link Invocation} (no I/O here; {@link Main} runs it). The
 * help texts and the usage errors are picocli's, kept word for word.
 */
final class MainArgs {

    private MainArgs() {
    }

    static final String MAIN_HELP = """
            Usage: node-agent [-hV] [COMMAND]
            Keeps this Kubernetes node in its declared state and reports the truth about it.

              -h, --help      Show this help message and exit.
              -V, --version   Print version information and exit.
            Commands:
              run           Run the agent in the foreground (what the systemd unit does).
              check-config  Validate a config file: prints every problem (file:line: key:
                              message), exit 2 if any.
              check         Run every enabled reconciler's pass once in the foreground (no
                              daemon, no HTTP) and print each result and check, like a
                              preflight. Exit 0 when none failed, 1 otherwise, 2 for a bad
                              config.
              demo          Run the agent on a sandbox host root (no cluster, no root
                              needed).
              help          Display help information about the specified command.

            Exit status:
              0   stopped cleanly (SIGTERM/SIGINT), or the command succeeded
              1   failed to start (HTTP port taken, another agent on the control socket,
                    ...)
              2   bad usage or an invalid config (nothing is started)

            Files and environment:
              /etc/node-agent/agent.yaml    the config (examples: ../config/)
              /run/node-agent/control.sock  the socket agentctl talks to (controlSocket)
              NOTIFY_SOCKET, WATCHDOG_USEC  set by systemd (Type=notify): the agent sends
                                            READY, STATUS, WATCHDOG and STOPPING
              NODE_AGENT_JAVA_OPTS          extra JVM flags for the launcher
              NODE_AGENT_NATIVE_DIR         where jnr's native library is unpacked
                                            (must allow exec: the unit uses /var/lib)

            HTTP: /status /healthz /readyz /metrics (default 127.0.0.1:9478).
            """;

    static final String RUN_HELP = """
            Usage: node-agent run [-hV] [-c=FILE]
            Run the agent in the foreground (what the systemd unit does).
              -c, --config=FILE   Config file (default: /etc/node-agent/agent.yaml).
              -h, --help          Show this help message and exit.
              -V, --version       Print version information and exit.
            """;

    static final String CHECK_CONFIG_HELP = """
            Usage: node-agent check-config [-hV] FILE
            Validate a config file: prints every problem (file:line: key: message), exit 2
            if any.
                  FILE        Config file (default: /etc/node-agent/agent.yaml).
              -h, --help      Show this help message and exit.
              -V, --version   Print version information and exit.
            """;

    static final String CHECK_HELP = """
            Usage: node-agent check [-hV] [-c=FILE]
            Run every enabled reconciler's pass once in the foreground (no daemon, no HTTP)
            and print each result and check, like a preflight. Exit 0 when none failed, 1
            otherwise, 2 for a bad config.
              -c, --config=FILE   Config file (default: /etc/node-agent/agent.yaml).
              -h, --help          Show this help message and exit.
              -V, --version       Print version information and exit.
            """;

    static final String DEMO_HELP = """
            Usage: node-agent demo [-hV] [--setup-only] [--dir=DIR] [--listen=ADDR]
            Run the agent on a sandbox host root (no cluster, no root needed).
            Creates DIR with a CNI bin dir and DIR/etc/node-agent/agent.yaml, then runs the
            agent in the foreground.
                  --dir=DIR       Sandbox directory (default: ./node-agent-demo).
              -h, --help          Show this help message and exit.
                  --listen=ADDR   HTTP address (default: 127.0.0.1:9478).
                  --setup-only    Only create the sandbox and its config; do not run the
                                    agent.
              -V, --version       Print version information and exit.
            """;

    static final String HELP_HELP = """
            Display help information about the specified command.

            Usage: node-agent help [-h] [COMMAND]

            When no COMMAND is given, the usage help for the main command is displayed.
            If a COMMAND is specified, the help for that command is shown.

                  [COMMAND]   The COMMAND to display the usage help message for.
              -h, --help      Show usage help for the help command and exit.
            """;

    /** A bad command line: the message, and the command whose --help to suggest. */
    static final class UsageException extends Exception {
        final String command;

        UsageException(String command, String message) {
            super(message);
            this.command = command;
        }
    }

    /**
     * What the command line asks for. {@code command} is "run", "check-config", "check", "demo", or "print" (just
     * write {@code text} to stdout: help or version).
     */
    record Invocation(String command, Path config, Path dir, String listen, boolean setupOnly, String text) {

        static Invocation print(String text) {
            return new Invocation("print", null, null, null, false, text);
        }
    }

    static String version() {
        return "node-agent " + BuildInfo.version() + " (Java " + Runtime.version() + ")\n";
    }

    static String helpOf(String command) {
        return switch (command) {
            case "run" -> RUN_HELP;
            case "check-config" -> CHECK_CONFIG_HELP;
            case "check" -> CHECK_HELP;
            case "demo" -> DEMO_HELP;
            case "help" -> HELP_HELP;
            default -> MAIN_HELP;
        };
    }

    /** Parses {@code args} the way picocli did (same options, same messages); throws on bad usage. */
    static Invocation parse(String[] args) throws UsageException {
        int i = 0;
        // options of the top-level command, before the subcommand
        while (i < args.length && args[i].startsWith("-") && !args[i].equals("-")) {
            String a = args[i];
            switch (a) {
                case "-h", "--help", "-hV", "-Vh" -> {
                    return Invocation.print(MAIN_HELP);
                }
                case "-V", "--version" -> {
                    return Invocation.print(version());
                }
                default -> throw new UsageException("node-agent", "Unknown option: '" + a + "'");
            }
        }
        if (i >= args.length) {
            throw new UsageException("node-agent", "Missing required subcommand");
        }
        String command = args[i];
        switch (command) {
            case "run", "check-config", "check", "demo" -> {
                return parseCommand(command, args, i + 1);
            }
            case "help" -> {
                return parseHelp(args, i + 1);
            }
            default -> throw new UsageException("node-agent", "Unmatched argument at index " + i + ": '" + command + "'");
        }
    }

    private static Invocation parseHelp(String[] args, int i) throws UsageException {
        String topic = null;
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                return Invocation.print(HELP_HELP);
            }
            if (a.startsWith("-") && !a.equals("-")) {
                throw new UsageException("node-agent help", "Unknown option: '" + a + "'");
            }
            if (topic != null) {
                throw new UsageException("node-agent help", "Unmatched argument at index " + i + ": '" + a + "'");
            }
            topic = a;
        }
        if (topic == null) {
            return Invocation.print(MAIN_HELP);
        }
        return switch (topic) {
            case "run", "check-config", "check", "demo", "help" -> Invocation.print(helpOf(topic));
            default -> throw new UsageException("node-agent", "Unknown subcommand '" + topic + "'.");
        };
    }

    private static Invocation parseCommand(String command, String[] args, int i) throws UsageException {
        String qualified = "node-agent " + command;
        Path config = Path.of(ConfigLoader.DEFAULT_PATH);
        Path dir = Path.of("node-agent-demo");
        String listen = ConfigLoader.DEFAULT_LISTEN;
        boolean setupOnly = false;
        boolean positionalSeen = false;
        boolean endOfOptions = false;
        for (; i < args.length; i++) {
            String a = args[i];
            if (!endOfOptions && a.equals("--")) {
                endOfOptions = true;
                continue;
            }
            if (endOfOptions || !a.startsWith("-") || a.equals("-")) {
                // the only positional parameter: check-config's FILE
                if (command.equals("check-config") && !positionalSeen) {
                    config = Path.of(a);
                    positionalSeen = true;
                    continue;
                }
                throw new UsageException(qualified, "Unmatched argument at index " + i + ": '" + a + "'");
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else if (!a.startsWith("--") && a.length() > 2) { // -c=FILE, -cFILE, -hV
                name = a.substring(0, 2);
                value = a.charAt(2) == '=' ? a.substring(3) : a.substring(2);
            }
            switch (name) {
                case "-h", "--help" -> {
                    return Invocation.print(helpOf(command));
                }
                case "-V", "--version" -> {
                    return Invocation.print(version());
                }
                default -> { }
            }
            boolean hasConfig = command.equals("run") || command.equals("check");
            boolean isDemo = command.equals("demo");
            if (hasConfig && (name.equals("-c") || name.equals("--config"))) {
                config = Path.of(value != null ? value : next(args, ++i, qualified, "--config", "FILE"));
            } else if (isDemo && name.equals("--dir")) {
                dir = Path.of(value != null ? value : next(args, ++i, qualified, "--dir", "DIR"));
            } else if (isDemo && name.equals("--listen")) {
                listen = value != null ? value : next(args, ++i, qualified, "--listen", "ADDR");
            } else if (isDemo && name.equals("--setup-only") && value == null) {
                setupOnly = true;
            } else {
                throw new UsageException(qualified, "Unknown option: '" + a + "'");
            }
        }
        if (command.equals("check-config") && !positionalSeen) {
            // picocli applied FILE's default value when it was omitted
            config = Path.of(ConfigLoader.DEFAULT_PATH);
        }
        return new Invocation(command, config, dir, listen, setupOnly, null);
    }

    private static String next(String[] args, int i, String qualified, String option, String label)
            throws UsageException {
        if (i >= args.length) {
            throw new UsageException(qualified, "Missing required parameter for option '" + option + "' (" + label + ")");
        }
        return args[i];
    }
}
