package dev.nodeagent.agent.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Who may use the control socket: root, the agent's own user, and — when a group is configured — members of
 * that group (primary gid from SO_PEERCRED, supplementary groups from {@code /proc/PID/status}). The file mode
 * already keeps others out; this is the second lock, and the one that names the refused peer in the log.
 */
public final class PeerPolicy {

    private final int ownUid;
    private final OptionalInt groupGid;
    private final String groupName;
    private final Path proc;

    public PeerPolicy(int ownUid, OptionalInt groupGid, String groupName, Path proc) {
        this.ownUid = ownUid;
        this.groupGid = groupGid;
        this.groupName = groupName;
        this.proc = proc;
    }

    /** Empty when allowed; otherwise the sentence the peer is told (and the log repeats). */
    public java.util.Optional<String> refusal(int uid, int gid, int pid) {
        if (uid == 0 || uid == ownUid) {
            return java.util.Optional.empty();
        }
        if (groupGid.isPresent() && (gid == groupGid.getAsInt() || supplementaryGroups(pid).contains(groupGid.getAsInt()))) {
            return java.util.Optional.empty();
        }
        String who = "uid " + uid + " is not root, not the agent's user (uid " + ownUid + ")";
        return java.util.Optional.of("not authorized: " + who + (groupGid.isPresent()
                ? " and not in group " + groupName + " (gid " + groupGid.getAsInt() + ")"
                : "; set controlSocketGroup in agent.yaml to let a group in"));
    }

    /** The {@code Groups:} line of {@code /proc/PID/status}; empty when it cannot be read (e.g. hidepid). */
    Set<Integer> supplementaryGroups(int pid) {
        Set<Integer> out = new HashSet<>();
        try {
            for (String line : Files.readAllLines(proc.resolve(Integer.toString(pid)).resolve("status"))) {
                if (line.startsWith("Groups:")) {
                    for (String g : line.substring("Groups:".length()).trim().split("\\s+")) {
                        if (!g.isEmpty()) {
                            out.add(Integer.parseInt(g));
                        }
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the peer may have exited, or /proc hides other users' processes: primary gid only
        }
        return out;
    }

    /** This process's effective uid: {@code /proc/self} belongs to it. */
    public static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
