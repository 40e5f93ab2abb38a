package dev.nodeagent.agent.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcile.Reconciler;
import dev.nodeagent.agent.engine.ScheduledReconciler;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PassOrder} on stand-in reconcilers; CheckOrderIT drives the real ones through the binary. */
class PassOrderTest {

    /** A reconciler that only has a name and dependencies. */
    static ScheduledReconciler r(String name, String... dependsOn) {
        Reconciler rec = new Reconciler() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<String> dependsOn() {
                return List.of(dependsOn);
            }

            @Override
            public Outcome reconcile(ReconcileContext context) {
                throw new UnsupportedOperationException();
            }
        };
        return new ScheduledReconciler(rec, Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    static List<String> order(ScheduledReconciler... rs) {
        return PassOrder.of(Arrays.asList(rs)).stream().map(ScheduledReconciler::name).toList();
    }

    @Test
    void withoutDependenciesTheGivenOrderIsKept() {
        assertEquals(List.of("a", "b", "c"), order(r("a"), r("b"), r("c")));
    }

    @Test
    void aReconcilerRunsAfterWhatItDependsOnAndTheRestKeepTheirPlace() {
        assertEquals(List.of("x", "bundle", "kube", "cni", "y"),
                order(r("kube", "bundle"), r("x"), r("bundle"), r("cni", "bundle", "kube"), r("y")));
    }

    @Test
    void aDependencyThatIsNotEnabledIsIgnored() {
        assertEquals(List.of("kube", "x"), order(r("kube", "bundle"), r("x")));
    }

    @Test
    void aCycleIsRefusedNamingItsMembers() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> order(r("ok"), r("a", "b"), r("b", "a")));
        assertTrue(e.getMessage().contains("a -> [b]") && e.getMessage().contains("b -> [a]"), e.getMessage());
        assertTrue(!e.getMessage().contains("ok"), e.getMessage());
    }
}
