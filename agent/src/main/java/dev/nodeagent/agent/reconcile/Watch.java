package dev.nodeagent.agent.reconcile;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Something whose change should start a pass of the reconciler that {@linkplain Reconciler#watches declares} it,
 * instead of waiting for the interval. Watches only make a pass sooner: a reconciler must still be correct when
 * an event is missed (the interval stays as a slow safety resync), so it never learns which event woke it.
 */
public sealed interface Watch {

    /**
     * The host path {@code path} (already resolved under the host root) and, when it is a directory, the entries
     * up to {@code depth} levels below it: created, deleted, renamed over, written or chmod-ed. {@code path}
     * need not exist; a symlink is followed (a swap of the link or of its target counts as a change).
     */
    record Files(Path path, int depth) implements Watch {
        public Files {
            Objects.requireNonNull(path, "path");
            if (depth < 0 || depth > 8) {
                throw new IllegalArgumentException("watch depth " + depth + " for " + path + " (0..8)");
            }
        }
    }

    /** Network links, addresses and routes of the agent's network namespace (netlink). */
    record Network() implements Watch {
    }

    /** {@code file} itself (a file, a link, or a directory's own entry). */
    static Watch file(Path file) {
        return new Files(file, 0);
    }

    /** {@code dir} and the entries directly in it. */
    static Watch dir(Path dir) {
        return new Files(dir, 1);
    }

    /** {@code dir} and everything up to {@code depth} levels below it. */
    static Watch tree(Path dir, int depth) {
        return new Files(dir, depth);
    }

    static Watch network() {
        return new Network();
    }
}
