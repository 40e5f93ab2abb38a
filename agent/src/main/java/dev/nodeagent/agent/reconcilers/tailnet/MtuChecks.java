package dev.nodeagent.agent.reconcilers.tailnet;

import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.net.Encapsulation;
import dev.nodeagent.agent.net.MtuBudget;
import dev.nodeagent.agent.reconcilers.tailnet.CalicoConflist.PodMtu;
import dev.nodeagent.agent.reconcilers.tailnet.IpJson.Link;
import dev.nodeagent.agent.reconcilers.tailnet.TailnetReconciler.Settings;
import dev.nodeagent.api.status.Check;
import java.io.IOException;
import java.util.Optional;

/**
 * The MTU budget: the pod MTU from the CNI conflist plus the encapsulation overhead must fit the tailnet
 * interface's MTU ({@link MtuBudget}, the one rule), and the {@code vxlan.calico} device, when present, must
 * agree: fit the same budget and equal the conflist's pod MTU (else Calico has not applied it yet).
 */
final class MtuChecks {

    static final String BUDGET = "MTU budget";
    static final String VXLAN = TailnetReconciler.VXLAN_DEVICE + " MTU";

    private final KernelNet net;
    private final HostPaths paths;
    private final Settings settings;

    MtuChecks(KernelNet net, HostPaths paths, Settings settings) {
        this.net = net;
        this.paths = paths;
        this.settings = settings;
    }

    void check(Link tailnet, Findings f) throws IOException, InterruptedException {
        String conflist = settings.cniConflist();
        Encapsulation encap = settings.encapsulation();
        PodMtu pod = null;
        try {
            pod = CalicoConflist.podMtu(paths.resolve(conflist), conflist);
        } catch (IOException e) {
            f.add(Check.fail(BUDGET, e.getMessage()), "CniConflistUnreadable");
        }
        switch (pod) {
            case null -> { }
            case PodMtu.Absent a -> f.add(Check.pass(BUDGET, "no CNI conflist at " + conflist + "; MTU budget not checked"),
                    "MtuBudgetExceeded");
            case PodMtu.NotSet n -> f.add(Check.pass(BUDGET, conflist
                    + " sets no pod MTU (Calico picks one); MTU budget not checked"), "MtuBudgetExceeded");
            case PodMtu.Value v -> {
                Optional<String> problem = MtuBudget.problem(v.mtu(), encap, tailnet.name(), tailnet.mtu());
                f.add(Check.failIfNot(problem.isEmpty(), BUDGET, problem.orElse("pod MTU " + v.mtu() + " + "
                        + encap.label() + " " + encap.overhead() + " <= " + tailnet.name() + " MTU " + tailnet.mtu())),
                        "MtuBudgetExceeded");
            }
        }
        Optional<Link> vxlan = net.link(TailnetReconciler.VXLAN_DEVICE);
        if (vxlan.isEmpty()) {
            return;
        }
        int devMtu = vxlan.get().mtu();
        Optional<String> problem = MtuBudget.problem(devMtu, Encapsulation.VXLAN, tailnet.name(), tailnet.mtu())
                .map(p -> TailnetReconciler.VXLAN_DEVICE + ": " + p);
        if (problem.isEmpty() && pod instanceof PodMtu.Value v && v.mtu() != devMtu) {
            problem = Optional.of(TailnetReconciler.VXLAN_DEVICE + " MTU " + devMtu + " differs from the pod MTU "
                    + v.mtu() + " in " + conflist + "; Calico has not applied it yet (restart calico-node)");
        }
        f.add(Check.failIfNot(problem.isEmpty(), VXLAN, problem.orElse(TailnetReconciler.VXLAN_DEVICE + " MTU "
                + devMtu + " fits " + tailnet.name() + " MTU " + tailnet.mtu())), "VxlanMtuMismatch");
    }
}
