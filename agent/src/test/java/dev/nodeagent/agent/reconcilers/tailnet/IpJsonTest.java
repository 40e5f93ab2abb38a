package dev.nodeagent.agent.reconcilers.tailnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.reconcilers.tailnet.IpJson.Link;
import dev.nodeagent.agent.reconcilers.tailnet.IpJson.Route;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Captured {@code ip -j} output (iproute2 6.1) → what the checks see. */
class IpJsonTest {

    @ParameterizedTest(name = "{0}: up={3} adminUp={4}")
    @CsvSource(delimiter = '|', textBlock = """
            veth up | {"ifindex":3,"link":"ts-peer","ifname":"tailscale0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1280,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"ba:5b:c9:db:7a:5e","broadcast":"ff:ff:ff:ff:ff:ff"} | 1280 | true | true
            set down | {"ifindex":3,"link":"ts-peer","ifname":"tailscale0","flags":["BROADCAST","MULTICAST"],"mtu":1280,"qdisc":"noqueue","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether"} | 1280 | false | false
            peer down | {"ifindex":3,"link":"ts-peer","ifname":"tailscale0","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP","M-DOWN"],"mtu":1280,"qdisc":"noqueue","operstate":"LOWERLAYERDOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether"} | 1280 | false | true
            tailscale tun | {"ifindex":5,"ifname":"tailscale0","flags":["POINTOPOINT","MULTICAST","NOARP","UP","LOWER_UP"],"mtu":1280,"qdisc":"fq_codel","operstate":"UNKNOWN","linkmode":"DEFAULT","group":"default","txqlen":500,"link_type":"none"} | 1280 | true | true
            """)
    void linksAreUpOnlyWhenAdminUpWithCarrier(String label, String json, int mtu, boolean up, boolean adminUp) {
        Link l = IpJson.links("[" + json + "]").getFirst();
        assertEquals("tailscale0", l.name());
        assertEquals(mtu, l.mtu());
        assertEquals(up, l.up(), label);
        assertEquals(adminUp, l.adminUp(), label);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            policy table 52 | {"dst":"100.64.0.1","dev":"tailscale0","table":"52","prefsrc":"100.64.0.2","flags":[],"uid":0,"cache":[]} | tailscale0 | via tailscale0 (table 52)
            main, gateway | {"dst":"100.64.0.1","gateway":"192.168.50.1","dev":"lan0","prefsrc":"192.168.50.2","flags":[],"uid":0,"cache":[]} | lan0 | via lan0 (gateway 192.168.50.1)
            on-link | {"dst":"192.168.50.20","dev":"lan0","prefsrc":"192.168.50.2","flags":[],"uid":0,"cache":[]} | lan0 | via lan0
            ipv6 | {"dst":"fd7a:115c:a1e0::1","dev":"tailscale0","table":"52","prefsrc":"fd7a:115c:a1e0::2","metric":1024,"flags":[],"pref":"medium"} | tailscale0 | via tailscale0 (table 52)
            """)
    void routeGetTellsDeviceGatewayAndTable(String label, String json, String device, String described) {
        Route r = IpJson.route("[" + json + "]");
        assertEquals(device, r.device());
        assertEquals(described, r.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Device \"x\" does not exist.", "{}", "[]", "[{\"dev\":\"lan0\"}]", "[{\"dst\":\"1.1.1.1\"}]"})
    void malformedRouteOutputIsReportedNotMisread(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpJson.route(text));
        assertTrue(e.getMessage().contains("ip") || e.getMessage().contains("iproute2"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[{\"ifname\":\"x\"}]", "[{\"mtu\":1500}]", "nope"})
    void malformedLinkOutputIsReported(String text) {
        assertThrows(IllegalArgumentException.class, () -> IpJson.links(text));
    }

    @org.junit.jupiter.api.Test
    void optionalRouteFieldsAreEmptyWhenAbsent() {
        Route r = IpJson.route("[{\"dst\":\"10.0.0.1\",\"dev\":\"eth0\"}]");
        assertEquals(Optional.empty(), r.gateway());
        assertEquals(Optional.empty(), r.table());
    }
}
