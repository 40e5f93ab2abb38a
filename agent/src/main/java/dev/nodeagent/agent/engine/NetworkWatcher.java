package dev.nodeagent.agent.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Link, address and route changes of the agent's network namespace, from a long-running
 * {@code ip monitor link address route} child: every line it prints is an event (the content does not matter, the
 * pass reads the state itself). When the child ends it is started again after {@code restartDelay}, with one
 * event for whatever was missed meanwhile. Idle, the child sleeps in the kernel and the reading thread with it.
 */
final class NetworkWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkWatcher.class);
    static final List<String> COMMAND = List.of("ip", "monitor", "link", "address", "route");

    private final List<String> command;
    private final Runnable onChange;
    private final Duration restartDelay;
    private volatile boolean closed;
    private volatile Process process;
    private Thread thread;

    NetworkWatcher(List<String> command, Runnable onChange, Duration restartDelay) {
        this.command = List.copyOf(command);
        this.onChange = onChange;
        this.restartDelay = restartDelay;
    }

    /** Starts the child (so changes from now on are seen), then the thread that reads it. */
    void start() {
        Process first = spawn(false);
        process = first;
        thread = Thread.ofPlatform().daemon().name("watch-network").start(() -> run(first));
    }

    private Process spawn(boolean warnOnFailure) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            if (warnOnFailure || !closed) {
                LOG.warn("cannot start {} ({}); network changes are seen at the next interval", String.join(" ", command),
                        e.getMessage());
            }
            return null;
        }
    }

    private void run(Process first) {
        Process p = first;
        boolean warned = false;
        try {
            while (!closed) {
                if (p != null) {
                    process = p;
                    if (closed) {
                        p.destroy();
                        return;
                    }
                    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        while (out.readLine() != null) {
                            onChange.run();
                        }
                    } catch (IOException e) {
                        // the child went away; handled below
                    }
                    if (closed) {
                        return;
                    }
                    if (!warned) {
                        LOG.warn("{} ended (exit {}); restarting it every {}s", String.join(" ", command),
                                p.waitFor(), restartDelay.toSeconds());
                        warned = true;
                    }
                }
                Thread.sleep(restartDelay);
                p = spawn(!warned);
                warned = true;
                if (p != null) {
                    onChange.run(); // changes while no child was watching
                }
            }
        } catch (InterruptedException e) {
            // close()
        }
    }

    @Override
    public void close() {
        closed = true;
        Process p = process;
        if (p != null) {
            p.destroy();
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
