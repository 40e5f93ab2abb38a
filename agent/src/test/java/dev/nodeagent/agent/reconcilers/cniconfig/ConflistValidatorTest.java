package dev.nodeagent.agent.reconcilers.cniconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.net.Encapsulation;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real-world conflists (test resources under cni/) against a real bin dir and kubeconfig on a temp host root. */
class ConflistValidatorTest {

    static final String FILE = "/etc/cni/net.d/10-calico.conflist";

    @TempDir
    Path root;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Calico manifest shape, all binaries   | calico-manifest.conflist | calico calico-ipam portmap bandwidth | true  | ''
            Calico, portmap binary missing         | calico-manifest.conflist | calico calico-ipam bandwidth         | true  | plugins[1].type=plugin 'portmap' has no binary: /opt/cni/bin/portmap does not exist
            Calico, calico-ipam binary missing     | calico-manifest.conflist | calico portmap bandwidth             | true  | plugins[0].ipam.type=plugin 'calico-ipam' has no binary
            Calico, CNI kubeconfig missing         | calico-manifest.conflist | calico calico-ipam portmap bandwidth | false | plugins[0].kubernetes.kubeconfig=/etc/cni/net.d/calico-kubeconfig does not exist
            Calico MTU 1500 over a 1280 tailnet    | calico-mtu1500.conflist  | calico calico-ipam portmap           | true  | plugins[0].mtu=pod MTU 1500 + VXLAN 50 > tailscale0 MTU 1280; set the Calico MTU to 1230
            Flannel, binaries present              | flannel.conflist         | flannel portmap                      | false | ''
            Flannel, flannel binary missing        | flannel.conflist         | portmap                              | false | plugins[0].type=plugin 'flannel' has no binary
            broken JSON (trailing comma)           | broken.conflist          | calico                               | true  | $=not well-formed JSON at line 8, column 5
            empty name, bad version, type, path, mtu | bad-fields.conflist    | calico                               | true  | cniVersion='0.5.0' is not a supported CNI version && name=must be a non-empty string && plugins[0].type='../calico' must be a plugin name && plugins[0].kubernetes.kubeconfig='calico-kubeconfig' must be an absolute path && plugins[0].mtu=must be a whole number
            """)
    void reportsEachProblemWithFileAndField(String name, String fixture, String binaries, boolean kubeconfig,
                                            String expected) throws Exception {
        HostPaths paths = new HostPaths(root);
        Path bin = paths.resolve("/opt/cni/bin");
        Files.createDirectories(bin);
        for (String b : binaries.split(" ")) {
            Files.writeString(bin.resolve(b), "#!/bin/sh\n");
            bin.resolve(b).toFile().setExecutable(true);
        }
        if (kubeconfig) {
            Files.createDirectories(paths.resolve("/etc/cni/net.d"));
            Files.writeString(paths.resolve("/etc/cni/net.d/calico-kubeconfig"), "apiVersion: v1\n");
        }
        var env = new ConflistValidator.Environment("/opt/cni/bin", bin, paths::resolve, Encapsulation.VXLAN,
                "tailscale0", 1280);

        List<ConflistProblem> problems = ConflistValidator.validate(FILE, fixture(fixture), env);

        List<String> want = expected.isEmpty() ? List.of() : Arrays.asList(expected.split(" && "));
        assertEquals(want.size(), problems.size(), "problems: " + problems);
        for (int i = 0; i < want.size(); i++) {
            String[] fieldAndMessage = want.get(i).split("=", 2);
            ConflistProblem p = problems.get(i);
            assertEquals(FILE, p.file());
            assertEquals(fieldAndMessage[0], p.field(), p.toString());
            assertTrue(p.message().startsWith(fieldAndMessage[1]), p.toString());
            assertTrue(p.toString().startsWith(FILE + ": " + fieldAndMessage[0] + ": "), p.toString());
        }
    }

    /** NixOS' kubelet module writes a single-plugin {@code 10-calico.conf}: fields are top-level, no plugins list. */
    @org.junit.jupiter.api.Test
    void aSinglePluginConfIsValidatedAsOnePlugin() throws Exception {
        HostPaths paths = new HostPaths(root);
        Path bin = Files.createDirectories(paths.resolve("/opt/cni/bin"));
        for (String b : List.of("calico", "calico-ipam")) {
            Files.writeString(bin.resolve(b), "#!/bin/sh\n");
            bin.resolve(b).toFile().setExecutable(true);
        }
        var env = new ConflistValidator.Environment("/opt/cni/bin", bin, paths::resolve, Encapsulation.VXLAN,
                "tailscale0", 1280);
        String conf = "/etc/cni/net.d/10-calico.conf";
        String ok = "{\"cniVersion\": \"0.3.1\", \"name\": \"k8s-pod-network\", \"type\": \"calico\", "
                + "\"mtu\": 1230, \"ipam\": {\"type\": \"calico-ipam\"}}";
        assertEquals(List.of(), ConflistValidator.validate(conf, ok.getBytes(), env));
        List<ConflistProblem> bad = ConflistValidator.validate(conf, ok.replace("1230", "1450").getBytes(), env);
        assertEquals(1, bad.size(), bad.toString());
        assertEquals("mtu", bad.getFirst().field());
        assertTrue(bad.getFirst().message().startsWith("pod MTU 1450 + VXLAN 50 > tailscale0 MTU 1280"), bad.toString());
    }

    static byte[] fixture(String name) throws Exception {
        try (InputStream in = ConflistValidatorTest.class.getResourceAsStream("/cni/" + name)) {
            return in.readAllBytes();
        }
    }
}
