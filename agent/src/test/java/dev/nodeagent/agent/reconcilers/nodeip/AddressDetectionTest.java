package dev.nodeagent.agent.reconcilers.nodeip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nodeagent.agent.reconcilers.nodeip.AddressDetection.Iface;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Calico's methods on a laptop-like node whose first interface is Wi-Fi, then Ethernet, then the tailnet. */
class AddressDetectionTest {

    /** As {@code ip -j addr show} prints it (trimmed): lo, docker0, wlan0, eth0 (two addresses), tailscale0. */
    static final String ADDRS = """
            [{"ifindex":1,"ifname":"lo","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host"}]},
             {"ifindex":2,"ifname":"docker0","addr_info":[{"family":"inet","local":"172.17.0.1","prefixlen":16,"scope":"global"}]},
             {"ifindex":3,"ifname":"wlan0","addr_info":[{"family":"inet","local":"192.168.1.23","prefixlen":24,"scope":"global"},
               {"family":"inet6","local":"fe80::1","prefixlen":64,"scope":"link"}]},
             {"ifindex":4,"ifname":"eth0","addr_info":[{"family":"inet","local":"10.0.0.5","prefixlen":24,"scope":"global"},
               {"family":"inet","local":"10.0.0.6","prefixlen":24,"scope":"global"},
               {"family":"inet6","local":"fd00::5","prefixlen":64,"scope":"global"}]},
             {"ifindex":5,"ifname":"tailscale0","addr_info":[{"family":"inet","local":"100.64.0.2","prefixlen":32,"scope":"global"}]}]
            """;

    static String pick(String method, boolean ipv6) throws Exception {
        List<Iface> ifaces = AddressDetection.parseAddrJson(ADDRS);
        return AddressDetection.pick(AddressDetection.parse(method), ifaces, ipv6).map(InetAddress::getHostAddress)
                .orElse("none");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "first-found                          | 192.168.1.23",
        "interface=eth.*                      | 10.0.0.5",
        "interface=tailscale0                 | 100.64.0.2",
        "interface=nothing.*,eth0             | 10.0.0.5",
        "skip-interface=wlan.*                | 10.0.0.5",
        "skip-interface=wlan.*,eth.*          | 100.64.0.2",
        "cidr=100.64.0.0/10                   | 100.64.0.2",
        "cidr=10.0.0.6/32,192.168.0.0/16      | 192.168.1.23",
        "cidr=10.0.0.6/32                     | 10.0.0.6",
        "cidr=203.0.113.0/24                  | none",
    })
    void picksAsCalicoWould(String method, String expected) throws Exception {
        assertEquals(expected, pick(method, false));
    }

    @Test
    void ipv6SkipsLinkLocalAddresses() throws Exception {
        assertEquals("fd00:0:0:0:0:0:0:5", pick("first-found", true));
    }

    @Test
    void badMethodsNameTheProblem() {
        assertEquals("'10.0.0.0' is not a CIDR",
                assertThrows(IllegalArgumentException.class, () -> AddressDetection.parse("cidr=10.0.0.0")).getMessage());
        assertEquals("unknown method 'interfaces'",
                assertThrows(IllegalArgumentException.class, () -> AddressDetection.parse("interfaces=eth0")).getMessage());
        assertEquals(Optional.empty(), AddressDetection.Range.parse("10.0.0.0/33"));
    }
}
