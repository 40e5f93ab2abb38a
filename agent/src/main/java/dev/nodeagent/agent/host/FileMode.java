package dev.nodeagent.agent.host;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Permissions and (optional) owner and group of a file the agent writes. A null owner or group leaves the
 * process's own, which is what an unprivileged sandbox run needs.
 */
public record FileMode(int mode, String owner, String group) {

    public FileMode {
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("bad mode " + Integer.toOctalString(mode));
        }
    }

    public static FileMode of(int mode) {
        return new FileMode(mode, null, null);
    }

    public Set<PosixFilePermission> permissions() {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    /** Octal, as operators write it: {@code 0600}. */
    @Override
    public String toString() {
        return String.format("%04o", mode) + (owner == null ? "" : " " + owner) + (group == null ? "" : ":" + group);
    }
}
