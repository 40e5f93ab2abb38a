package dev.nodeagent.ctl;

import dev.nodeagent.api.BuildInfo;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code agentctl}'s picocli command tree (the entry point is {@link AgentCtlMain}): exit codes 0 ok, 1 operation
 * failed, 2 usage, 3 daemon unreachable. Subcommands are listed in {@link #SUBCOMMANDS}, one class each.
 */
@Command(name = "agentctl", mixinStandardHelpOptions = true, versionProvider = AgentCtl.Version.class,
        usageHelpAutoWidth = true,
        description = {"Operate node-agent: talk to the running daemon, or work offline on age files and bundles.", ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:ok", "1:the operation failed (a reconciler failed, a check failed, a timeout)",
            "2:usage error (bad option, unknown reconciler name)",
            "3:the daemon could not be asked (not running, wrong socket, no permission)"},
        footerHeading = "%nEnvironment:%n",
        footer = {"  NODE_AGENT_SOCKET   the control socket when --socket is not given",
            "                      (default " + SocketOption.DEFAULT + ")",
            "  NO_COLOR            no colour (colour is only used on a terminal anyway)",
            "  AGENTCTL_JAVA_OPTS  extra JVM flags for the launcher",
            "",
            "The control socket is for root and the agent's user (0600), plus one group",
            "when controlSocketGroup is set in agent.yaml (0660). See the README's",
            "\"agentctl reference\"."})
public final class AgentCtl {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;

    /** The subcommands' names, in help order. Not in {@code @Command(subcommands)}: see {@link #commandLine(String...)}. */
    private static final List<String> SUBCOMMANDS = List.of("status", "resync", "check", "version", "completion",
            "decrypt", "encrypt", "bundle", "diff", "help");

    /**
     * A switch, not a table of method references: a {@code HelpCommand::new} reference points into picocli, whose
     * classes the AOT cache cannot hold, and the JDK 25 cache assembler crashes on such a resolved call site.
     */
    private static Object subcommand(String name) {
        return switch (name) {
            case "status" -> new StatusCommand();
            case "resync" -> new ResyncCommand();
            case "check" -> new CheckCommand();
            case "version" -> new VersionCommand();
            case "completion" -> new CompletionCommand();
            case "decrypt" -> new DecryptCommand();
            case "encrypt" -> new EncryptCommand();
            case "bundle" -> new BundleCommand();
            case "diff" -> new DiffCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** The full command line, every subcommand registered. */
    public static CommandLine commandLine() {
        return build(null);
    }

    /**
     * The command line for running {@code args}: when the first argument names a subcommand, only that one is
     * registered. picocli reads every registered command's annotations by reflection before parsing, and its
     * classes cannot be in the AOT cache (they are Java 5 class files), so this is most of a short command's
     * start-up. A lone {@code --version}/{@code -V} needs none. {@code help}, {@code completion} and anything else
     * (other root options, a typo) get the full tree, because they list or describe all subcommands.
     */
    public static CommandLine commandLine(String... args) {
        String first = args.length > 0 ? args[0] : null;
        if (args.length == 1 && (first.equals("--version") || first.equals("-V"))) {
            return build("");
        }
        boolean lean = first != null && !first.equals("help") && !first.equals("completion")
                && SUBCOMMANDS.contains(first);
        return build(lean ? first : null);
    }

    private static CommandLine build(String only) {
        CommandLine cl = new CommandLine(new AgentCtl());
        for (String name : SUBCOMMANDS) {
            if (only == null || only.equals(name)) {
                cl.addSubcommand(name, subcommand(name));
            }
        }
        return cl
                .setExitCodeExceptionMapper(e -> FAILED)
                .setParameterExceptionHandler((ex, args) -> {
                    PrintWriter err = ex.getCommandLine().getErr();
                    err.println("agentctl: " + ex.getMessage());
                    err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
                    return USAGE;
                });
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"agentctl " + version() + " (Java " + Runtime.version() + ")"};
        }
    }

    /** The client's version: the same build as the daemon's. */
    public static String version() {
        return BuildInfo.version();
    }
}
