package dev.nodeagent.agent.reconcilers.nodeconditions;

import dev.nodeagent.agent.config.ConfigNode;
import dev.nodeagent.agent.config.ConfigSection;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.kube.KubeSession;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcile.Reconciler;
import dev.nodeagent.agent.spec.ReconcilerSpec;
import dev.nodeagent.agent.status.StatusStore;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Publishes the agent's findings as the owned {@link ConditionType}s on this node's Node object. A pass reads the
 * other reconcilers' status (local, cheap), and talks to the API only when a condition changed or the heartbeat is
 * due, so the steady state costs one PATCH per heartbeat (12 per hour at the 5-minute default). The Node's
 * conditions are read once (first pass, and after any failed request) and then tracked from each PATCH response.
 * API trouble returns {@code failed}, so the scheduler's backoff retries; the pass after the API comes back re-reads
 * the Node and writes everything that changed meanwhile. Other reconcilers never wait on this one.
 */
public final class NodeConditionsReconciler implements Reconciler {

    public static final String NAME = "node-conditions";

    /**
     * {@code reconcilers.nodeConditions}: {@code kubeconfig} (default the kubelet's), {@code heartbeat} (default 5m:
     * rewrite unchanged conditions this often so their lastHeartbeatTime shows the agent is alive),
     * {@code requestTimeout} (default 10s, connect and per request), {@code eventsPerHour} (default 6; 0 = no
     * Events on transitions).
     */
    public record Settings(String kubeconfig, Duration heartbeat, Duration requestTimeout, int eventsPerHour) {
        public Settings(String kubeconfig, Duration heartbeat, Duration requestTimeout) {
            this(kubeconfig, heartbeat, requestTimeout, 0);
        }

        public static Settings parse(ConfigNode n) {
            return new Settings(n.absolutePath("kubeconfig", "/var/lib/kubelet/kubeconfig"),
                    n.duration("heartbeat", Duration.ofMinutes(5)),
                    n.duration("requestTimeout", Duration.ofSeconds(10)),
                    n.integer("eventsPerHour", 6, 0, 3600));
        }
    }

    public static final ReconcilerSpec<Settings> SPEC = new ReconcilerSpec<>(NAME,
            new ConfigSection<>("nodeConditions", Duration.ofSeconds(30), Duration.ofSeconds(30), role -> true,
                    (node, nodeConfig) -> Settings.parse(node)),
            (settings, services) -> new NodeConditionsReconciler(settings, services.config().node().name(),
                    services.hostPaths(), services.status(), services.clock(), new StrategicMergeWriter()));

    private final Settings settings;
    private final String nodeName;
    private final StatusStore status;
    private final InstantSource clock;
    private final ConditionWriter writer;
    private final KubeSession session;
    private final TransitionEvents events;
    private List<NodeCondition> known; // the Node's conditions as last seen; null = must read
    private Instant lastWrite;

    public NodeConditionsReconciler(Settings settings, String nodeName, HostPaths paths, StatusStore status,
                                    InstantSource clock, ConditionWriter writer) {
        this.settings = settings;
        this.nodeName = nodeName;
        this.status = status;
        this.clock = clock;
        this.writer = writer;
        this.session = new KubeSession(settings.kubeconfig(), paths, settings.requestTimeout());
        this.events = new TransitionEvents(settings.eventsPerHour());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Outcome reconcile(ReconcileContext context) throws Exception {
        KubeSession.Access access = session.access();
        if (access.waiting() != null) {
            known = null;
            return access.waiting();
        }
        if (access.rebuilt()) {
            known = null;
        }
        ConditionRules.Derived derived = ConditionRules.derive(status::get);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS); // API timestamps have second precision
        try {
            if (known == null) {
                Node node = access.client().nodes().withName(nodeName).get();
                if (node == null) {
                    return Outcome.waiting("NodeNotRegistered", "Node " + nodeName + " is not registered yet");
                }
                known = node.getStatus() == null || node.getStatus().getConditions() == null
                        ? List.of() : List.copyOf(node.getStatus().getConditions());
                lastWrite = null; // unknown heartbeat age after a (re)read: write now
            }
            Plan plan = plan(derived, now);
            boolean heartbeatDue = lastWrite == null || !now.isBefore(lastWrite.plus(settings.heartbeat()));
            if (plan.upserts().isEmpty() && plan.removals().isEmpty()) {
                // nothing owned to write: never send an empty conditions list (a merge patch must not be
                // risked on the kubelet's conditions for a no-op)
                return summary(derived, false, "nothing to publish");
            }
            if (!plan.changed() && !heartbeatDue) {
                return summary(derived, false, "conditions unchanged");
            }
            List<NodeCondition> before = known;
            known = List.copyOf(writer.write(access.client(), nodeName, plan.upserts(), plan.removals(), known));
            lastWrite = now;
            events.post(access.client(), nodeName, before, plan.upserts(), now);
            return summary(derived, plan.changed(), plan.changed() ? "updated " + plan.what() : "heartbeat");
        } catch (KubernetesClientException e) {
            known = null; // re-read on the next pass: the Node may have changed while we could not see it
            if (e.getCode() == 404) {
                return Outcome.waiting("NodeNotRegistered", "Node " + nodeName + " is not registered yet");
            }
            String why = e.getCode() > 0 ? "HTTP " + e.getCode() + ": " + firstLine(e.getMessage())
                    : firstLine(rootMessage(e));
            return Outcome.failed(e.getCode() == 401 || e.getCode() == 403 ? "ApiForbidden" : "ApiUnavailable",
                    "could not update Node " + nodeName + " conditions at " + access.server() + ": " + why);
        }
    }

    private record Plan(List<NodeCondition> upserts, Set<String> removals, boolean changed, String what) {
    }

    private Plan plan(ConditionRules.Derived derived, Instant now) {
        Map<String, NodeCondition> current = new LinkedHashMap<>();
        known.forEach(c -> current.put(c.getType(), c));
        List<NodeCondition> upserts = new ArrayList<>();
        List<String> changedTypes = new ArrayList<>();
        for (String type : ConditionType.ownedInOrder()) {
            DesiredCondition d = derived.publish().get(type);
            if (d == null) {
                continue;
            }
            NodeCondition c = current.get(type);
            boolean same = c != null && d.status().equals(c.getStatus()) && d.reason().equals(c.getReason())
                    && d.message().equals(c.getMessage());
            if (!same) {
                changedTypes.add(type);
            }
            String transition = c != null && d.status().equals(c.getStatus()) && c.getLastTransitionTime() != null
                    ? c.getLastTransitionTime() : now.toString();
            upserts.add(new NodeConditionBuilder().withType(type).withStatus(d.status()).withReason(d.reason())
                    .withMessage(d.message()).withLastHeartbeatTime(now.toString())
                    .withLastTransitionTime(transition).build());
        }
        Set<String> removals = new TreeSet<>();
        for (String type : current.keySet()) {
            if (ConditionType.OWNED.contains(type) && !derived.publish().containsKey(type)
                    && !derived.keep().contains(type)) {
                removals.add(type);
            }
        }
        List<String> what = new ArrayList<>(changedTypes);
        removals.forEach(r -> what.add("-" + r));
        return new Plan(upserts, removals, !what.isEmpty(), String.join(", ", what));
    }

    private Outcome summary(ConditionRules.Derived derived, boolean changed, String what) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        for (String type : ConditionType.ownedInOrder()) {
            DesiredCondition d = derived.publish().get(type);
            if (d != null) {
                details.put(type, d.status() + " " + d.reason());
                if (!d.status().equals(DesiredCondition.FALSE)) {
                    problems.add(type + "=" + d.status());
                }
            }
        }
        if (lastWrite != null) {
            details.put("lastWrite", lastWrite.toString());
        }
        if (events.dropped() > 0) {
            details.put("eventsDropped", events.dropped());
        }
        String msg = "node " + nodeName + ": " + derived.publish().size() + " conditions published ("
                + (problems.isEmpty() ? "no problems" : String.join(", ", problems)) + "); " + what;
        return Outcome.ok(changed, msg).withDetails(details);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static String firstLine(String s) {
        String v = Objects.requireNonNullElse(s, "");
        int nl = v.indexOf('\n');
        return nl < 0 ? v : v.substring(0, nl);
    }
}
