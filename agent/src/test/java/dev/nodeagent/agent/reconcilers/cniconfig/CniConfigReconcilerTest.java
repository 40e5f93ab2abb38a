package dev.nodeagent.agent.reconcilers.cniconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.Reconcilers;
import dev.nodeagent.agent.config.ConfigException;
import dev.nodeagent.agent.config.ConfigLoader;
import dev.nodeagent.agent.host.AtomicWriter;
import dev.nodeagent.agent.host.CommandRunner;
import dev.nodeagent.agent.host.HookRunner;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.metrics.AgentMetrics;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.api.json.ApiJson;
import dev.nodeagent.api.status.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class CniConfigReconcilerTest {

    static final String CONFLIST = "/etc/cni/net.d/10-calico.conflist";

    @TempDir
    Path root;
    final AgentMetrics metrics = new AgentMetrics("test", List.of(CniConfigReconciler.NAME));

    @AfterEach
    void close() {
        metrics.close();
    }

    private CniConfigReconciler reconciler(String section) throws ConfigException {
        String yaml = "node:\n  name: laptop1\n  role: worker\nreconcilers:\n  cniConfig:\n" + section.indent(4);
        var cfg = new ConfigLoader(Reconcilers.configSections(), "laptop1").parse(yaml, "agent.yaml");
        return new CniConfigReconciler(cfg.settings("cniConfig", CniConfigReconciler.Settings.class), "laptop1",
                new HostPaths(root), new AtomicWriter(), new HookRunner(new CommandRunner()), metrics, InstantSource.system());
    }

    private Path host(String p) {
        return root.resolve(p.substring(1));
    }

    private void prerequisites(String... binaries) throws Exception {
        Files.createDirectories(host("/opt/cni/bin"));
        for (String b : binaries) {
            Files.writeString(host("/opt/cni/bin/" + b), "#!/bin/sh\n");
            host("/opt/cni/bin/" + b).toFile().setExecutable(true);
        }
        Files.createDirectories(host("/etc/cni/net.d"));
        Files.writeString(host("/etc/cni/net.d/calico-kubeconfig"), "apiVersion: v1\n");
    }

    private static Outcome pass(CniConfigReconciler r) throws Exception {
        return r.reconcile(new ReconcileContext(Instant.now(), false, 0));
    }

    @Test
    void managesTheCalicoConflistWithTheMtuThatFitsTheTailnet() throws Exception {
        prerequisites("calico", "calico-ipam", "portmap");
        CniConfigReconciler r = reconciler("networkName: k8s-pod-network\n");

        Outcome o = pass(r);

        assertEquals(State.OK, o.state(), o.message());
        assertTrue(o.changed());
        JsonNode c = ApiJson.mapper().readTree(Files.readString(host(CONFLIST)));
        assertEquals("k8s-pod-network", c.get("name").stringValue());
        assertEquals("calico", c.at("/plugins/0/type").stringValue());
        assertEquals(1230, c.at("/plugins/0/mtu").intValue(), "1280 tailnet - 50 VXLAN");
        assertEquals("calico-ipam", c.at("/plugins/0/ipam/type").stringValue());
        assertEquals("k8s", c.at("/plugins/0/policy/type").stringValue());
        assertEquals("/etc/cni/net.d/calico-kubeconfig", c.at("/plugins/0/kubernetes/kubeconfig").stringValue());
        assertEquals("laptop1", c.at("/plugins/0/nodename").stringValue());
        assertEquals("portmap", c.at("/plugins/1/type").stringValue());
        assertTrue(Files.readString(host(CONFLIST)).startsWith("{\n  \"name\" : \"k8s-pod-network\",\n"), "pretty-printed, fixed order");
    }

    @Test
    void aSecondPassWritesNothingAndAHandEditIsPutBackAndCounted() throws Exception {
        prerequisites("calico", "calico-ipam", "portmap");
        CniConfigReconciler r = reconciler("encapsulation: ipip\n");
        pass(r);
        String good = Files.readString(host(CONFLIST));
        Object inode = Files.getAttribute(host(CONFLIST), "unix:ino");
        var mtime = Files.getLastModifiedTime(host(CONFLIST));

        Outcome second = pass(r);
        assertFalse(second.changed());
        assertEquals(inode, Files.getAttribute(host(CONFLIST), "unix:ino"));
        assertEquals(mtime, Files.getLastModifiedTime(host(CONFLIST)));
        assertTrue(good.contains("\"mtu\" : 1260"), "1280 - 20 IPIP: " + good);

        Files.writeString(host(CONFLIST), good.replace("1260", "1500"));
        Outcome third = pass(r);
        assertTrue(third.changed());
        assertTrue(third.message().contains("put back a hand edit"), third.message());
        assertEquals(good, Files.readString(host(CONFLIST)));
        assertEquals(1.0, metrics.registry().find("node_agent_drift_corrected")
                .tags("reconciler", "cni-config", "path", CONFLIST).counter().count());
    }

    @Test
    void waitsWithoutWritingUntilBinariesAndTheCniKubeconfigExist() throws Exception {
        CniConfigReconciler r = reconciler("");
        Files.createDirectories(host("/opt/cni/bin"));
        Files.writeString(host("/opt/cni/bin/calico"), "#!/bin/sh\n");
        host("/opt/cni/bin/calico").toFile().setExecutable(true);

        Outcome o = pass(r);

        assertEquals(State.WAITING, o.state());
        assertEquals("PluginBinaryMissing", o.reason());
        assertTrue(o.message().contains("plugins[0].ipam.type"), o.message());
        assertFalse(Files.exists(host(CONFLIST)));
        assertTrue(o.checks().stream().anyMatch(c -> c.name().equals("10-calico.conflist plugins[0].kubernetes.kubeconfig")),
                o.checks().toString());

        prerequisites("calico", "calico-ipam", "portmap");
        assertEquals(State.OK, pass(r).state());
    }

    @Test
    void checkModeOnlyReportsTheProblemsOfAConflistSomeoneElseManages() throws Exception {
        prerequisites("calico", "calico-ipam", "portmap");
        CniConfigReconciler r = reconciler("mode: check\n");
        assertEquals("ConflistMissing", pass(r).reason());
        byte[] theirs = ConflistValidatorTest.fixture("calico-mtu1500.conflist");
        Files.write(host(CONFLIST), theirs);

        Outcome o = pass(r);

        assertEquals(State.FAILED, o.state());
        assertEquals(CONFLIST + ": plugins[0].mtu: pod MTU 1500 + VXLAN 50 > tailscale0 MTU 1280; set the Calico MTU to 1230",
                o.message());
        assertFalse(o.changed());
        assertTrue(java.util.Arrays.equals(theirs, Files.readAllBytes(host(CONFLIST))), "check mode never writes");
    }

    @Test
    void aConfiguredMtuThatDoesNotFitTheTailnetIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class, () -> reconciler("mtu: 1500\n"));
        assertTrue(ConfigLoader.describe(e).contains(
                "reconcilers.cniConfig.mtu: pod MTU 1500 + VXLAN 50 > tailscale0 MTU 1280; set the Calico MTU to 1230"),
                ConfigLoader.describe(e));
    }
}
