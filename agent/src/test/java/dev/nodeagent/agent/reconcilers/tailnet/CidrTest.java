package dev.nodeagent.agent.reconcilers.tailnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest(name = "{0} is probed at {1}")
    @CsvSource(textBlock = """
            100.64.0.0/10,   100.64.0.1
            100.100.5.7/10,  100.64.0.1
            10.0.0.255/24,   10.0.0.1
            192.168.1.7/32,  192.168.1.7
            fd7a:115c:a1e0::/48, fd7a:115c:a1e0:0:0:0:0:1
            """)
    void theProbeIsTheFirstAddressAfterTheNetwork(String cidr, String probe) {
        assertEquals(probe, Cidr.parse(cidr).orElseThrow().probeAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"100.64.0.0", "100.64.0.0/33", "example.com/10", "100.64.0.0/x", "/10", "::/129"})
    void rejectsWhatIsNotALiteralPrefix(String text) {
        assertTrue(Cidr.parse(text).isEmpty(), text);
    }
}
