package dev.nodeagent.agent;

import dev.nodeagent.agent.spec.AgentServices;

import dev.nodeagent.agent.config.AgentConfig;
import dev.nodeagent.agent.config.AgentConfig.ReconcilerConfig;
import dev.nodeagent.agent.config.ConfigSection;
import dev.nodeagent.agent.spec.ReconcilerSpec;
import dev.nodeagent.agent.engine.ScheduledReconciler;
import dev.nodeagent.agent.reconcilers.certbundle.CertBundleReconciler;
import dev.nodeagent.agent.reconcilers.clock.ClockSkewReconciler;
import dev.nodeagent.agent.reconcilers.cniconfig.CniConfigReconciler;
import dev.nodeagent.agent.reconcilers.cniipam.CniIpamLinkReconciler;
import dev.nodeagent.agent.reconcilers.kubeconfigs.KubeconfigsReconciler;
import dev.nodeagent.agent.reconcilers.nodeip.NodeIpReconciler;
import dev.nodeagent.agent.reconcilers.pathprobe.PathProbeReconciler;
import dev.nodeagent.agent.reconcilers.prereqs.NodePrereqsReconciler;
import dev.nodeagent.agent.reconcilers.tailnet.TailnetReconciler;
import dev.nodeagent.agent.reconcilers.tailscalestatus.TailscaleStatusReconciler;
import dev.nodeagent.agent.reconcilers.manifests.BootstrapManifestsReconciler;
import dev.nodeagent.agent.reconcilers.nodeconditions.NodeConditionsReconciler;
import java.util.ArrayList;
import java.util.List;

/** Which reconcilers exist, in status order. Adding one = one line in {@link #SPECS}. */
public final class Reconcilers {

    public static final List<ReconcilerSpec<?>> SPECS = List.of(
            CertBundleReconciler.SPEC,
            KubeconfigsReconciler.SPEC,
            CniConfigReconciler.SPEC,
            CniIpamLinkReconciler.SPEC,
            TailnetReconciler.SPEC,
            TailscaleStatusReconciler.SPEC,
            PathProbeReconciler.SPEC,
            NodePrereqsReconciler.SPEC,
            NodeIpReconciler.SPEC,
            ClockSkewReconciler.SPEC,
            NodeConditionsReconciler.SPEC,
            BootstrapManifestsReconciler.SPEC);

    private Reconcilers() {
    }

    public static List<ConfigSection<?>> configSections() {
        return SPECS.stream().<ConfigSection<?>>map(ReconcilerSpec::config).toList();
    }

    /** Names of the reconcilers this config enables, in status order. */
    public static List<String> enabledNames(AgentConfig config) {
        return SPECS.stream().filter(s -> config.reconcilers().get(s.config().key()).enabled())
                .map(ReconcilerSpec::name).toList();
    }

    /** Builds every enabled reconciler with its interval and timeout. */
    public static List<ScheduledReconciler> create(AgentConfig config, AgentServices services) {
        List<ScheduledReconciler> out = new ArrayList<>();
        for (ReconcilerSpec<?> spec : SPECS) {
            ReconcilerConfig<?> rc = config.reconcilers().get(spec.config().key());
            if (rc.enabled()) {
                out.add(new ScheduledReconciler(build(spec, rc, services), rc.interval(), rc.timeout()));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <S> dev.nodeagent.agent.reconcile.Reconciler build(ReconcilerSpec<S> spec, ReconcilerConfig<?> rc,
                                                                      AgentServices services) {
        return spec.factory().create((S) rc.settings(), services);
    }
}
