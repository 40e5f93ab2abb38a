package dev.nodeagent.agent.engine;

import dev.nodeagent.agent.engine.WatchPlan.Interest;
import dev.nodeagent.agent.reconcile.Watch;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inotify instance (the JDK's {@link WatchService}) for every reconciler's {@link Watch.Files}: on an event in
 * a directory it tells each reconciler whose {@link WatchPlan} has an interest in that entry, after making that
 * reconciler's plan again when the event may have changed which directories exist (a create, a delete, a watched
 * directory gone), so a recreated directory is watched before the pass it triggers runs. Idle, its one thread
 * blocks in the kernel and costs nothing.
 */
final class FileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);

    private final WatchService service;
    private final Consumer<String> onChange;
    private final List<Subscriber> subscribers = new ArrayList<>();
    /** Real directory → its key, and back. Touched only by start() (before the thread) and the watch thread. */
    private final Map<Path, WatchKey> keys = new HashMap<>();
    private final Map<WatchKey, Path> dirs = new HashMap<>();
    private final Set<Path> warned = new HashSet<>();
    private Thread thread;

    private static final class Subscriber {
        final String name;
        final List<Watch.Files> watches;
        WatchPlan plan = new WatchPlan(Map.of());

        Subscriber(String name, List<Watch.Files> watches) {
            this.name = name;
            this.watches = List.copyOf(watches);
        }
    }

    /** {@code onChange} gets a reconciler's name; it must only signal (it runs on the watch thread). */
    FileWatcher(Consumer<String> onChange) throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
        this.onChange = onChange;
    }

    /** Before {@link #start}. */
    void add(String reconciler, List<Watch.Files> watches) {
        subscribers.add(new Subscriber(reconciler, watches));
    }

    /** Registers every plan's directories (so nothing after this returns is missed), then starts the thread. */
    void start() {
        subscribers.forEach(this::replan);
        thread = Thread.ofPlatform().daemon().name("watch-files").start(this::run);
    }

    /** Directories currently given to inotify (tests, and the count in logs). */
    synchronized Set<Path> watchedDirs() {
        return Set.copyOf(keys.keySet());
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                Set<Subscriber> changed = new LinkedHashSet<>();
                Set<Subscriber> replan = new LinkedHashSet<>();
                // everything already queued is one batch: one new plan and one signal per reconciler
                for (; key != null; key = service.poll()) {
                    collect(key, changed, replan);
                }
                replan.forEach(this::replan);
                changed.forEach(s -> onChange.accept(s.name));
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // close()
        }
    }

    private void collect(WatchKey key, Set<Subscriber> changed, Set<Subscriber> replan) {
        List<WatchEvent<?>> events = key.pollEvents();
        boolean valid = key.reset();
        Path dir;
        synchronized (this) {
            dir = dirs.get(key);
            if (!valid) { // the directory itself is gone (deleted, unmounted)
                dirs.remove(key);
                if (dir != null) {
                    keys.remove(dir, key);
                }
            }
        }
        if (dir == null) {
            return;
        }
        for (Subscriber s : subscribers) {
            Interest interest = s.plan.dirs().get(dir);
            if (interest == null) {
                continue;
            }
            if (!valid) {
                changed.add(s);
                replan.add(s);
            }
            for (WatchEvent<?> e : events) {
                if (e.kind() == StandardWatchEventKinds.OVERFLOW) { // the kernel dropped events: assume anything
                    changed.add(s);
                    replan.add(s);
                } else if (interest.matches(e.context().toString())) {
                    changed.add(s);
                    if (e.kind() != StandardWatchEventKinds.ENTRY_MODIFY) {
                        replan.add(s);
                    }
                }
            }
        }
    }

    /** Makes {@code s}'s plan again from the file system, registers what is new, drops what nobody needs. */
    private synchronized void replan(Subscriber s) {
        WatchPlan plan = WatchPlan.of(s.watches);
        for (Path dir : plan.dirs().keySet()) {
            if (keys.containsKey(dir)) {
                continue;
            }
            try {
                WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
                keys.put(dir, key);
                dirs.put(key, dir);
            } catch (IOException e) {
                // gone since the plan was made (its parent's event replans), or out of inotify watches
                if (warned.add(dir)) {
                    LOG.warn("{}: cannot watch {} ({}); its changes are seen at the next interval", s.name, dir,
                            e.getMessage());
                }
            }
        }
        s.plan = plan;
        Set<Path> needed = new HashSet<>();
        subscribers.forEach(o -> needed.addAll(o.plan.dirs().keySet()));
        for (Path dir : List.copyOf(keys.keySet())) {
            if (!needed.contains(dir)) {
                WatchKey key = keys.remove(dir);
                dirs.remove(key);
                key.cancel();
            }
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            // closing; nothing to do
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
