package dev.nodeagent.agent.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which file system a path lives on, from {@code /proc/self/mountinfo} (the kernel's view, so it is right under a
 * sandbox host root too). Used to warn when secrets would land on a disk instead of tmpfs/ramfs.
 */
public final class MountTable {

    /** One line of mountinfo that matters here: where it is mounted and the file system type. */
    public record Mount(String mountPoint, String fsType) {
        public boolean inMemory() {
            return fsType.equals("tmpfs") || fsType.equals("ramfs");
        }
    }

    private final Path mountinfo;

    public MountTable(Path mountinfo) {
        this.mountinfo = mountinfo;
    }

    public static MountTable system() {
        return new MountTable(Path.of("/proc/self/mountinfo"));
    }

    /**
     * The mount that holds {@code path}: the nearest existing ancestor's real path, matched against the longest
     * mount point (the last one wins when mounts are stacked). Empty when mountinfo cannot be read.
     */
    public Optional<Mount> mountOf(Path path) throws IOException {
        Path p = path.toAbsolutePath().normalize();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null || !Files.isReadable(mountinfo)) {
            return Optional.empty();
        }
        String real = p.toRealPath().toString();
        return find(real, Files.readAllLines(mountinfo));
    }

    static Optional<Mount> find(String realPath, List<String> lines) {
        Mount best = null;
        for (String line : lines) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length < 5 || dash < 0 || dash + 1 >= f.length) {
                continue;
            }
            String mp = unescape(f[4]);
            boolean covers = mp.equals("/") || realPath.equals(mp) || realPath.startsWith(mp + "/");
            if (covers && (best == null || mp.length() >= best.mountPoint().length())) {
                best = new Mount(mp, f[dash + 1]);
            }
        }
        return Optional.ofNullable(best);
    }

    /** mountinfo escapes space, tab, newline and backslash as {@code \\ooo}. */
    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
