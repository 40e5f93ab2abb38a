package dev.nodeagent.agent.preflight;

import dev.nodeagent.agent.reconcile.Reconciler;
import dev.nodeagent.agent.engine.ScheduledReconciler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The order {@code node-agent check} runs its passes in: every reconciler after the ones it names in
 * {@link Reconciler#dependsOn()}, otherwise in the order given (status order), so the result is stable. A
 * dependency that is not enabled is ignored: there is nothing to wait for.
 */
final class PassOrder {

    private PassOrder() {
    }

    /** {@code reconcilers} reordered so dependencies come first; throws on a cycle, naming its members. */
    static List<ScheduledReconciler> of(List<ScheduledReconciler> reconcilers) {
        Map<String, ScheduledReconciler> pending = new LinkedHashMap<>();
        reconcilers.forEach(r -> pending.put(r.name(), r));
        List<ScheduledReconciler> out = new ArrayList<>();
        while (!pending.isEmpty()) {
            // the first (in status order) none of whose dependencies is still pending; one that is not enabled
            // was never pending
            ScheduledReconciler next = pending.values().stream()
                    .filter(r -> r.reconciler().dependsOn().stream().noneMatch(pending::containsKey))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("reconciler dependencies form a cycle among: "
                            + pending.values().stream().map(r -> r.name() + " -> " + r.reconciler().dependsOn())
                                    .collect(Collectors.joining(", "))));
            pending.remove(next.name());
            out.add(next);
        }
        return out;
    }
}
