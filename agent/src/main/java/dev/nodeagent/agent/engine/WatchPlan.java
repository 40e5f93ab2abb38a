package dev.nodeagent.agent.engine;

import dev.nodeagent.agent.reconcile.Watch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which directories to give to inotify for a set of {@link Watch.Files}, and which entry names in each matter,
 * as the file system is now. inotify watches directories (by inode), not paths, so a watched path is seen
 * through its parent: a deleted and recreated directory, or a symlink swapped by nixos-rebuild or agenix, is an
 * event in the parent, after which the plan is made again. A path that does not exist yet is watched through its
 * nearest existing ancestor (the name on the way down); a symlink, the path's own or an ancestor's, is watched
 * where it is and followed to its target. Directories are keyed by their real path.
 */
record WatchPlan(Map<Path, Interest> dirs) {

    /** Symlinks followed per path (a loop ends here). */
    private static final int MAX_HOPS = 8;
    /** Directories one tree may add: a watch on a huge tree is a mistake, not a reason to exhaust inotify. */
    static final int MAX_DIRS_PER_TREE = 256;

    /** Entry names of one directory that matter; {@code all}: every entry (a watched directory's contents). */
    record Interest(boolean all, Set<String> names) {
        static final Interest ALL = new Interest(true, Set.of());

        boolean matches(String name) {
            return all || names.contains(name);
        }

        Interest plus(Interest other) {
            if (all || other.all) {
                return ALL;
            }
            Set<String> union = new HashSet<>(names);
            union.addAll(other.names);
            return new Interest(false, Set.copyOf(union));
        }
    }

    WatchPlan {
        dirs = Map.copyOf(dirs);
    }

    static WatchPlan of(List<Watch.Files> watches) {
        Map<Path, Interest> dirs = new LinkedHashMap<>();
        for (Watch.Files w : watches) {
            Path p = w.path().toAbsolutePath().normalize();
            entry(dirs, p, 0);
            if (w.depth() >= 1 && Files.isDirectory(p)) {
                int[] budget = {MAX_DIRS_PER_TREE};
                real(p).ifPresent(r -> tree(dirs, r, w.depth(), budget));
            }
        }
        return new WatchPlan(dirs);
    }

    /** The entry {@code p} itself: its nearest existing ancestor, the name on the way down, symlinks followed. */
    private static void entry(Map<Path, Interest> dirs, Path p, int hops) {
        Path child = p;
        Path ancestor = p.getParent();
        while (ancestor != null && !Files.isDirectory(ancestor)) {
            child = ancestor;
            ancestor = ancestor.getParent();
        }
        if (ancestor == null || child.getFileName() == null) {
            return;
        }
        Path childName = child.getFileName();
        real(ancestor).ifPresent(r -> add(dirs, r, new Interest(false, Set.of(childName.toString()))));
        if (hops >= MAX_HOPS) {
            return;
        }
        if (child == p && Files.isSymbolicLink(p)) {
            try {
                entry(dirs, p.getParent().resolve(Files.readSymbolicLink(p)).normalize(), hops + 1);
            } catch (IOException e) {
                // swapped while we looked: the event that follows makes a new plan
            }
        }
        // a symlinked ancestor (/etc/kubernetes -> /etc/static/kubernetes): its swap changes what p is
        for (Path a = ancestor; a != null && a.getParent() != null; a = a.getParent()) {
            if (Files.isSymbolicLink(a)) {
                entry(dirs, a, hops + 1);
                return; // the recursion handles the ancestors above it
            }
        }
    }

    private static void tree(Map<Path, Interest> dirs, Path dir, int depth, int[] budget) {
        if (budget[0]-- <= 0) {
            return;
        }
        add(dirs, dir, Interest.ALL);
        if (depth <= 1) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path sub : entries.filter(Files::isDirectory).sorted().toList()) {
                // a symlinked subdirectory is followed: its swap is an event in this directory, already watched
                real(sub).ifPresent(r -> tree(dirs, r, depth - 1, budget));
            }
        } catch (IOException e) {
            // gone or unreadable: the event in its parent makes a new plan; the pass reports what is wrong
        }
    }

    private static void add(Map<Path, Interest> dirs, Path dir, Interest interest) {
        dirs.merge(dir, interest, Interest::plus);
    }

    private static java.util.Optional<Path> real(Path p) {
        try {
            return java.util.Optional.of(p.toRealPath());
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }
}
