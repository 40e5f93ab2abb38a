package dev.nodeagent.agent.reconcilers.tailnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.reconcilers.tailnet.CalicoConflist.PodMtu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CalicoConflistTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            calico mtu                 | {"plugins":[{"type":"calico","mtu":1230},{"type":"portmap"}]}           | 1230
            calico wins over others    | {"plugins":[{"type":"bandwidth","mtu":9000},{"type":"calico","mtu":1440}]} | 1440
            another plugin's mtu       | {"plugins":[{"type":"flannel","mtu":1400}]}                               | 1400
            quoted number              | {"plugins":[{"type":"calico","mtu":"1230"}]}                              | 1230
            zero means auto            | {"plugins":[{"type":"calico","mtu":0}]}                                   | -1
            no mtu                     | {"plugins":[{"type":"calico"}]}                                           | -1
            """)
    void readsThePodMtu(String label, String json, int expected) throws IOException {
        Path f = Files.writeString(dir.resolve("10-calico.conflist"), json);
        PodMtu mtu = CalicoConflist.podMtu(f, "/etc/cni/net.d/10-calico.conflist");
        assertEquals(expected < 0 ? new PodMtu.NotSet() : new PodMtu.Value(expected), mtu, label);
    }

    @Test
    void anAbsentFileIsAbsentNotAnError() throws IOException {
        assertEquals(new PodMtu.Absent(), CalicoConflist.podMtu(dir.resolve("nope"), "/x"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"plugins":[{"type":"calico","mtu":"__CNI_MTU__"}] | not valid JSON
            {"plugins":[{"type":"calico","mtu":"__CNI_MTU__"}]} | must be a number
            {"type":"calico","mtu":1500} | no "plugins" list
            """)
    void badFilesAreNamedInTheError(String json, String expected) throws IOException {
        Path f = Files.writeString(dir.resolve("c.conflist"), json);
        IOException e = assertThrows(IOException.class, () -> CalicoConflist.podMtu(f, "/etc/cni/net.d/c.conflist"));
        assertTrue(e.getMessage().startsWith("/etc/cni/net.d/c.conflist") && e.getMessage().contains(expected),
                e.getMessage());
    }
}
