package dev.nodeagent.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MtuBudgetTest {

    @ParameterizedTest(name = "pod {0} over {1} on a {2}-byte link: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            1230 | VXLAN     | 1280 | ''
            1231 | VXLAN     | 1280 | pod MTU 1231 + VXLAN 50 > tailscale0 MTU 1280; set the Calico MTU to 1230
            1500 | VXLAN     | 1280 | pod MTU 1500 + VXLAN 50 > tailscale0 MTU 1280; set the Calico MTU to 1230
            1260 | IPIP      | 1280 | ''
            1261 | IPIP      | 1280 | pod MTU 1261 + IPIP 20 > tailscale0 MTU 1280; set the Calico MTU to 1260
            1220 | WIREGUARD | 1280 | ''
            1221 | WIREGUARD | 1280 | pod MTU 1221 + WireGuard 60 > tailscale0 MTU 1280; set the Calico MTU to 1220
            1280 | NONE      | 1280 | ''
            1450 | VXLAN     | 1500 | ''
            """)
    void podMtuPlusOverheadMustFitTheLink(int podMtu, Encapsulation encapsulation, int linkMtu, String expected) {
        assertEquals(expected.isEmpty() ? Optional.empty() : Optional.of(expected),
                MtuBudget.problem(podMtu, encapsulation, "tailscale0", linkMtu));
    }
}
