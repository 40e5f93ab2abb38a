package dev.nodeagent.agent;

import dev.nodeagent.agent.spec.AgentServices;

import dev.nodeagent.api.BuildInfo;
import dev.nodeagent.agent.config.AgentConfig;
import dev.nodeagent.agent.control.ControlHandler;
import dev.nodeagent.agent.control.ControlServer;
import dev.nodeagent.agent.host.AtomicWriter;
import dev.nodeagent.agent.host.CommandRunner;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.http.HttpApi;
import dev.nodeagent.agent.metrics.AgentMetrics;
import dev.nodeagent.agent.engine.Backoff;
import dev.nodeagent.agent.engine.ReconcilerRunner;
import dev.nodeagent.agent.engine.ScheduledReconciler;
import dev.nodeagent.agent.engine.Scheduler;
import dev.nodeagent.agent.status.StatusStore;
import dev.nodeagent.agent.systemd.SdNotify;
import dev.nodeagent.agent.systemd.ServiceNotifier;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running daemon, wired in one place: config → reconcilers → scheduler → status/metrics → HTTP. Nothing
 * downstream writes upstream; the only way back in is {@link Scheduler#resync}.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final AgentConfig config;
    private final StatusStore status;
    private final AgentMetrics metrics;
    private final Scheduler scheduler;
    private final HttpApi http;
    private final ControlServer control;
    private final ServiceNotifier notifier;
    private int httpPort;
    private volatile boolean closed;

    public Agent(AgentConfig config, InstantSource clock, RandomGenerator random) {
        this.config = config;
        List<String> names = Reconcilers.enabledNames(config);
        this.status = new StatusStore(clock, config.node().name(), config.node().role().wire(), BuildInfo.version(), names);
        this.metrics = new AgentMetrics(BuildInfo.version(), names);
        HostPaths hostPaths = new HostPaths(config.hostRoot());
        AgentServices services = new AgentServices(config, hostPaths, new AtomicWriter(),
                new CommandRunner(), clock, metrics, status);
        List<ScheduledReconciler> reconcilers = Reconcilers.create(config, services);
        this.scheduler = new Scheduler(reconcilers, new ReconcilerRunner(status, metrics, clock), Backoff.DEFAULT,
                clock, random);
        this.http = new HttpApi(status, scheduler, metrics);
        this.control = new ControlServer(hostPaths.resolve(config.controlSocket()), config.controlSocketGroup(),
                new ControlHandler(status, scheduler, BuildInfo.version()), Duration.ofSeconds(5));
        this.notifier = new ServiceNotifier(SdNotify.fromEnvironment(System.getenv(), ProcessHandle.current().pid()),
                status, scheduler);
    }

    /**
     * Binds HTTP and the control socket (concurrently: each costs ≈0.1 s of class loading and set-up at start, and
     * there are two cores), then starts the loops and the systemd notifier (READY=1 after the first round). Fails
     * fast, before any reconciler runs, if the port is taken or another agent serves the socket.
     */
    public Agent start() {
        FutureTask<Void> controlStart = new FutureTask<>(() -> {
            control.start();
            return null;
        });
        Thread.ofPlatform().name("control-start").start(controlStart);
        httpPort = http.start(config.http().host(), config.http().port());
        RuntimeException controlFailure = awaitControl(controlStart);
        if (httpPort < 0) { // Helidon logs the bind failure and reports port -1 instead of throwing
            throw new IllegalStateException("cannot listen on " + config.http().listen() + " (address in use?)");
        }
        if (controlFailure != null) {
            throw controlFailure;
        }
        LOG.info("node-agent {} on {} ({}), host root {}, HTTP on {}:{}, reconcilers: {}", BuildInfo.version(),
                config.node().name(), config.node().role().wire(), config.hostRoot(), config.http().host(), httpPort,
                String.join(", ", scheduler.names()));
        scheduler.start();
        notifier.start();
        compactAfterFirstRound();
        return this;
    }

    /**
     * One full GC a second after the first round (READY): start-up leaves ≈10 MiB of garbage in the old generation
     * (config parsing, Helidon's and Jackson's set-up, the first passes), and SerialGC only gives heap back to the OS
     * after a full collection. With the launcher's -XX:MaxHeapFreeRatio and -XX:-ShrinkHeapInSteps this one
     * collection shrinks the committed heap (measured: 23 → 15 MiB, RSS −5 MiB); it costs ≈20 ms once, off the
     * critical path and after systemd was told READY.
     */
    private void compactAfterFirstRound() {
        Thread.ofPlatform().daemon().name("post-start-gc").start(() -> {
            try {
                while (!closed && !scheduler.awaitFirstRound(Duration.ofSeconds(1))) {
                    // a slow first pass is bounded by its own timeout
                }
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                System.gc();
            }
        });
    }

    /** Waits for the control socket's start; returns its failure as is (a sentence for the operator), or null. */
    private static RuntimeException awaitControl(FutureTask<Void> controlStart) {
        try {
            controlStart.get();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new IllegalStateException("interrupted while starting the control socket", e);
        } catch (ExecutionException e) {
            return e.getCause() instanceof RuntimeException r ? r
                    : new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    public int httpPort() {
        return httpPort;
    }

    public StatusStore status() {
        return status;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public ControlServer control() {
        return control;
    }

    /** Tells systemd STOPPING, closes the control socket, stops the loops (bounded), then HTTP. */
    @Override
    public void close() {
        LOG.info("stopping");
        closed = true;
        notifier.close();
        control.close();
        scheduler.stop(Duration.ofSeconds(10));
        http.close();
        metrics.close();
    }
}
