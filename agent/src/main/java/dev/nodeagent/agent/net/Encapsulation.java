package dev.nodeagent.agent.net;

/**
 * Pod-network encapsulations and the bytes each adds to a packet (outer headers), as Calico's MTU guidance
 * uses them: VXLAN 50, IP-in-IP 20, WireGuard 60 (IPv4).
 */
public enum Encapsulation {
    NONE("none", 0),
    VXLAN("VXLAN", 50),
    IPIP("IPIP", 20),
    WIREGUARD("WireGuard", 60);

    private final String label;
    private final int overhead;

    Encapsulation(String label, int overhead) {
        this.label = label;
        this.overhead = overhead;
    }

    public int overhead() {
        return overhead;
    }

    public String label() {
        return label;
    }
}
