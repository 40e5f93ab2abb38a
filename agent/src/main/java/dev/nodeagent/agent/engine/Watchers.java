package dev.nodeagent.agent.engine;

import dev.nodeagent.agent.reconcile.Watch;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event sources behind {@link Trigger#WATCH}: one {@link FileWatcher} for every reconciler's file watches and
 * one {@link NetworkWatcher} shared by those that watch the network, started only when someone needs them. When
 * a source cannot start (inotify instances exhausted, no {@code ip}) the reconcilers still run at their interval,
 * and the log says so.
 */
final class Watchers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Watchers.class);

    private final List<ScheduledReconciler> reconcilers;
    private final Consumer<String> onChange;
    private final List<String> networkCommand;
    private FileWatcher files;
    private NetworkWatcher network;

    Watchers(List<ScheduledReconciler> reconcilers, Consumer<String> onChange, List<String> networkCommand) {
        this.reconcilers = List.copyOf(reconcilers);
        this.onChange = onChange;
        this.networkCommand = List.copyOf(networkCommand);
    }

    /** Sets every watch up; returns when events from now on reach {@code onChange}. */
    void start() {
        List<String> onNetwork = new ArrayList<>();
        for (ScheduledReconciler r : reconcilers) {
            List<Watch> watches = r.reconciler().watches();
            List<Watch.Files> paths = watches.stream().filter(w -> w instanceof Watch.Files)
                    .map(w -> (Watch.Files) w).toList();
            if (watches.stream().anyMatch(w -> w instanceof Watch.Network)) {
                onNetwork.add(r.name());
            }
            if (!paths.isEmpty() && (files != null || startFiles())) {
                files.add(r.name(), paths);
            }
        }
        if (files != null) {
            files.start();
        }
        if (!onNetwork.isEmpty()) {
            network = new NetworkWatcher(networkCommand, () -> onNetwork.forEach(onChange), Duration.ofSeconds(5));
            network.start();
        }
    }

    private boolean startFiles() {
        try {
            files = new FileWatcher(onChange);
            return true;
        } catch (IOException e) {
            LOG.warn("cannot watch files ({}); reconcilers run at their interval only", e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        if (files != null) {
            files.close();
        }
        if (network != null) {
            network.close();
        }
    }
}
