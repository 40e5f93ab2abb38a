package dev.nodeagent.agent.net;

import java.util.Optional;

/**
 * The one MTU rule: pod MTU + encapsulation overhead must fit the MTU of the link that carries cross-site
 * traffic (tailscale0, 1280 by default). A wrong MTU shows up as TLS handshakes that hang and large responses
 * that stall, so the message gives the numbers and the fix.
 */
public final class MtuBudget {

    private MtuBudget() {
    }

    /** The largest pod MTU that fits: {@code linkMtu - overhead}. */
    public static int maxPodMtu(int linkMtu, Encapsulation encapsulation) {
        return linkMtu - encapsulation.overhead();
    }

    /**
     * Empty when it fits; otherwise e.g. {@code pod MTU 1500 + VXLAN 50 > tailscale0 MTU 1280; set the Calico MTU
     * to 1230}.
     */
    public static Optional<String> problem(int podMtu, Encapsulation encapsulation, String linkName, int linkMtu) {
        int needed = podMtu + encapsulation.overhead();
        if (needed <= linkMtu) {
            return Optional.empty();
        }
        return Optional.of("pod MTU " + podMtu + " + " + encapsulation.label() + " " + encapsulation.overhead() + " > "
                + linkName + " MTU " + linkMtu + "; set the Calico MTU to " + maxPodMtu(linkMtu, encapsulation));
    }
}
