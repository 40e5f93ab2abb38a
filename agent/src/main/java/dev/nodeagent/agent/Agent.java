package dev.nodeagent.agent;

import dev.nodeagent.agent.config.AgentConfig;
import dev.nodeagent.agent.host.AtomicWriter;
import dev.nodeagent.agent.host.CommandRunner;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.http.HttpApi;
import dev.nodeagent.agent.metrics.AgentMetrics;
import dev.nodeagent.agent.reconcile.Backoff;
import dev.nodeagent.agent.reconcile.ReconcilerRunner;
import dev.nodeagent.agent.reconcile.ScheduledReconciler;
import dev.nodeagent.agent.reconcile.Scheduler;
import dev.nodeagent.agent.status.StatusStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
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
    private int httpPort;

    public Agent(AgentConfig config, InstantSource clock, RandomGenerator random) {
        this.config = config;
        List<String> names = Reconcilers.enabledNames(config);
        this.status = new StatusStore(clock, config.node().name(), config.node().role().wire(), BuildInfo.version(), names);
        this.metrics = new AgentMetrics(BuildInfo.version(), names);
        AgentServices services = new AgentServices(config, new HostPaths(config.hostRoot()), new AtomicWriter(),
                new CommandRunner(), clock, metrics, status);
        List<ScheduledReconciler> reconcilers = Reconcilers.create(config, services);
        this.scheduler = new Scheduler(reconcilers, new ReconcilerRunner(status, metrics, clock), Backoff.DEFAULT,
                clock, random);
        this.http = new HttpApi(status, scheduler, metrics);
    }

    /** Binds HTTP, then starts the loops. Fails fast (before any reconciler runs) if the port is taken. */
    public Agent start() {
        httpPort = http.start(config.http().host(), config.http().port());
        LOG.info("node-agent {} on {} ({}), host root {}, HTTP on {}:{}, reconcilers: {}", BuildInfo.version(),
                config.node().name(), config.node().role().wire(), config.hostRoot(), config.http().host(), httpPort,
                String.join(", ", scheduler.names()));
        scheduler.start();
        return this;
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

    /** Stops the loops (bounded), then HTTP. */
    @Override
    public void close() {
        LOG.info("stopping");
        scheduler.stop(Duration.ofSeconds(10));
        http.close();
        metrics.close();
    }
}
