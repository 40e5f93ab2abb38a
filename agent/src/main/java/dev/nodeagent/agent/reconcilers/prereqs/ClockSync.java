package dev.nodeagent.agent.reconcilers.prereqs;

import dev.nodeagent.agent.host.CommandRunner;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Whether the kernel considers the system clock synchronised: {@code adjtimex(2)} in read-only mode returns
 * {@code TIME_ERROR} (5) while the clock is unsynchronised (what {@code timedatectl}'s NTPSynchronized reports,
 * without needing systemd or D-Bus). Called through jnr-ffi, which the agent already carries; when native calls
 * are unavailable it asks {@code timedatectl show}.
 */
public class ClockSync {

    /** {@code synced} empty when it cannot be told; {@code source} says who answered or why nobody could. */
    public record Status(Optional<Boolean> synced, String source) {
    }

    static final int TIME_ERROR = 5;

    private final CommandRunner commands;

    public ClockSync(CommandRunner commands) {
        this.commands = commands;
    }

    public Status status() throws InterruptedException {
        String nativeProblem;
        try {
            int state = Adjtimex.state();
            if (state >= 0) {
                return new Status(Optional.of(state != TIME_ERROR), "adjtimex");
            }
            nativeProblem = "adjtimex failed";
        } catch (LinkageError | RuntimeException e) {
            nativeProblem = "adjtimex unavailable (" + e.getClass().getSimpleName() + ")";
        }
        try {
            CommandRunner.Result r = commands.run(List.of("timedatectl", "show", "-p", "NTPSynchronized", "--value"),
                    Duration.ofSeconds(5));
            String v = r.stdout().strip();
            if (r.ok() && (v.equals("yes") || v.equals("no"))) {
                return new Status(Optional.of(v.equals("yes")), "timedatectl");
            }
            return new Status(Optional.empty(), nativeProblem + "; timedatectl: "
                    + firstLine(r.stderr().isBlank() ? "exit " + r.exitCode() : r.stderr()));
        } catch (java.io.IOException e) {
            return new Status(Optional.empty(), nativeProblem + "; timedatectl not available");
        }
    }

    private static String firstLine(String s) {
        return s.strip().lines().findFirst().orElse("");
    }

    /** jnr-ffi binding, loaded on first use so a missing native library only costs this check. */
    static final class Adjtimex {
        public interface LibC {
            int adjtimex(jnr.ffi.Pointer timex);
        }

        private static volatile LibC libc;

        /** The clock state adjtimex returns (0..5), or -1 on error. {@code struct timex} is < 256 bytes; zero modes = read. */
        static int state() {
            LibC c = libc;
            if (c == null) {
                c = jnr.ffi.LibraryLoader.create(LibC.class).load("c");
                libc = c;
            }
            jnr.ffi.Pointer buf = jnr.ffi.Memory.allocateDirect(jnr.ffi.Runtime.getRuntime(c), 512, true);
            return c.adjtimex(buf);
        }
    }
}
