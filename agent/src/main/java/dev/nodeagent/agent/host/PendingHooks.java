package dev.nodeagent.agent.host;

import dev.nodeagent.api.json.PlainJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The on-change hooks of one reconciler that have not succeeded yet, kept in
 * {@code /var/lib/node-agent/hooks/<reconciler>.json} (through {@link AtomicWriter}, mode 0600), so a hook that
 * failed — or never ran because the agent stopped — runs on the next start. The file holds commands and paths
 * only, never file contents; it is removed once nothing is pending.
 */
final class PendingHooks {

    /** One hook waiting to succeed: since when, for which changed paths, how many tries, the last failure. */
    record Pending(String command, Instant since, Set<String> changed, int attempts, String lastError) {
        Pending {
            changed = Set.copyOf(changed);
        }
    }

    private static final FileMode MODE = FileMode.of(0600);

    private final Path file;
    private final AtomicWriter writer;

    PendingHooks(Path file, AtomicWriter writer) {
        this.file = file;
        this.writer = writer;
    }

    Path file() {
        return file;
    }

    /** What the file says is pending; an unreadable file is reported, never silently treated as empty. */
    List<Pending> load() throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Object parsed;
        try {
            parsed = PlainJson.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a pending-hooks file (" + e.getMessage() + ")", e);
        }
        if (!(parsed instanceof Map<?, ?> root) || !(root.get("pending") instanceof List<?> list)) {
            throw new IOException(file + ": pending: missing or not a list");
        }
        List<Pending> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m) || !(m.get("command") instanceof String command)
                    || !(m.get("since") instanceof String since)) {
                throw new IOException(file + ": pending[" + i + "]: needs a command and since");
            }
            Set<String> changed = new LinkedHashSet<>();
            if (m.get("changed") instanceof List<?> c) {
                c.forEach(x -> changed.add(String.valueOf(x)));
            }
            int attempts = m.get("attempts") instanceof Number n ? n.intValue() : 0;
            String lastError = m.get("lastError") instanceof String s ? s : null;
            try {
                out.add(new Pending(command, Instant.parse(since), changed, attempts, lastError));
            } catch (RuntimeException e) {
                throw new IOException(file + ": pending[" + i + "].since: not an instant: " + since, e);
            }
        }
        return out;
    }

    /** Writes the pending set; an empty one removes the file. */
    void save(String owner, List<Pending> pending) throws IOException {
        if (pending.isEmpty()) {
            if (Files.deleteIfExists(file)) {
                AtomicWriter.fsyncDirectory(file.getParent());
            }
            return;
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (Pending p : pending) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("command", p.command());
            m.put("since", p.since().toString());
            m.put("changed", List.copyOf(new TreeSet<>(p.changed())));
            m.put("attempts", p.attempts());
            if (p.lastError() != null) {
                m.put("lastError", p.lastError());
            }
            list.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("reconciler", owner);
        root.put("pending", list);
        writer.write(file, (PlainJson.writePretty(root) + "\n").getBytes(StandardCharsets.UTF_8), MODE);
    }
}
