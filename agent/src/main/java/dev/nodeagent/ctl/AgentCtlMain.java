package dev.nodeagent.ctl;

/**
 * {@code agentctl}'s entry point (the launcher's main class). Kept apart from {@link AgentCtl} because the JVM reads
 * the main class's method signatures to find {@code main}: {@link AgentCtl#commandLine} returns a picocli type,
 * which the AOT cache cannot hold (Java 5 class files), so finding {@code main} there loaded picocli from the class
 * path, opening the jars before it one by one: ≈76 ms of every {@code agentctl decrypt} and {@code status}.
 */
public final class AgentCtlMain {

    private AgentCtlMain() {
    }

    public static void main(String[] args) {
        OfflineUrlHandlers.install();
        // `agentctl --socket S status` as kubectl users type it: the same as `agentctl status --socket S`.
        args = GlobalOptions.hoist(args);
        // The common invocations skip picocli entirely (see FastPath); everything else is picocli's as before.
        int exit = FastPath.run(args);
        if (exit == FastPath.NOT_HANDLED) {
            exit = AgentCtl.commandLine(args).execute(args);
        }
        // Success returns from main instead of calling System.exit: Runtime.exit logs through System.getLogger,
        // whose first use looks for a LoggerFinder service in every jar on the class path (≈50 ms, measured in a
        // profile of agentctl decrypt). agentctl starts no non-daemon threads, so the JVM ends right after.
        if (exit != AgentCtl.OK) {
            System.exit(exit);
        }
    }
}
