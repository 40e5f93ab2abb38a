package dev.nodeagent.ctl;

import java.io.PrintWriter;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code agentctl}: exit codes 0 ok, 1 operation failed, 2 usage, 3 daemon unreachable. Subcommands are listed
 * here, one class each.
 */
@Command(name = "agentctl", mixinStandardHelpOptions = true, versionProvider = AgentCtl.Version.class,
        usageHelpAutoWidth = true,
        description = {"Operate node-agent: talk to the running daemon, or work offline on age files and bundles.", ""},
        subcommands = {CommandLine.HelpCommand.class, DecryptCommand.class, EncryptCommand.class, BundleCommand.class})
public final class AgentCtl {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new AgentCtl())
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

    /** The client's version (same build.properties as the daemon's). */
    public static String version() {
        try (InputStream in = AgentCtl.class.getResourceAsStream("/dev/nodeagent/agent/build.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
