package dev.nodeagent.agent.reconcilers.nodeconditions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.kube.MutableClock;
import dev.nodeagent.agent.kube.TcpProxy;
import dev.nodeagent.agent.kube.TestKubeconfig;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.status.StatusStore;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Severity;
import dev.nodeagent.api.status.State;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** node-conditions against fabric8's mock API server in CRUD mode (the one allowed stand-in), via a TCP proxy. */
@EnableKubernetesMockClient(crud = true)
class NodeConditionsReconcilerTest {

    // one server for the class (starting one costs seconds); each test starts from no Node and no recorded requests
    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    Path root;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T08:00:00Z"));
    private StatusStore status;
    private TcpProxy proxy;
    private NodeConditionsReconciler reconciler;

    @BeforeEach
    void setUp() throws Exception {
        client.nodes().withName("n1").delete();
        drainRequests();
        URI api = URI.create(client.getConfiguration().getMasterUrl());
        proxy = new TcpProxy(api.getHost(), api.getPort());
        TestKubeconfig.insecure(root.resolve("var/lib/kubelet/kubeconfig"), "https://127.0.0.1:" + proxy.port());
        status = new StatusStore(clock, "n1", "worker", "test",
                List.of("cert-bundle", "cni-ipam-link", "tailnet", "node-prereqs", "node-conditions"));
        reconciler = new NodeConditionsReconciler(
                new NodeConditionsReconciler.Settings("/var/lib/kubelet/kubeconfig", Duration.ofMinutes(5),
                        Duration.ofSeconds(15)),
                "n1", new HostPaths(root), status, clock, new JsonPatchWriter());
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
    }

    private void registerNode(NodeCondition... extra) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName("n1").endMetadata().withNewStatus()
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("kubelet is posting ready status").withLastHeartbeatTime("2026-11-24T07:59:50Z")
                .withLastTransitionTime("2026-11-24T07:00:00Z").endCondition()
                .addAllToConditions(List.of(extra)).endStatus();
        client.nodes().resource(b.build()).create();
    }

    private void healthy() {
        record("cert-bundle", Outcome.ok(false, "bundle installed")
                .withChecks(List.of(Check.pass("kubelet cert expiry", "expires in 300 days"))));
        record("cni-ipam-link", Outcome.ok(false, "link ok"));
        record("tailnet", Outcome.fromChecks(List.of(Check.pass("tailscale0 up", "up"),
                Check.pass("tailscale0 MTU", "pod MTU 1230 + VXLAN 50 <= 1280")), "routes ok"));
        record("node-prereqs", Outcome.fromChecks(List.of(Check.pass("ip_forward", "1"),
                Check.warnIfNot(false, "swap off", "swap is on")), "prerequisites ok"));
    }

    private void record(String name, Outcome o) {
        status.record(name, o, clock.instant(), Duration.ZERO);
    }

    private Outcome pass() throws Exception {
        return reconciler.reconcile(new ReconcileContext(clock.instant(), false, 0));
    }

    private Map<String, NodeCondition> conditions() {
        return client.nodes().withName("n1").get().getStatus().getConditions().stream()
                .collect(Collectors.toMap(NodeCondition::getType, Function.identity()));
    }

    @Test
    void ownedConditionsAppearNextToTheKubeletsReadyWhichIsLeftAlone() throws Exception {
        registerNode();
        healthy();
        Outcome o = pass();
        assertEquals(State.OK, o.state(), o.message());
        assertTrue(o.changed());
        Map<String, NodeCondition> c = conditions();
        assertEquals(Map.of("Ready", "True", "CertificatesExpiringSoon", "False", "CertificateBundleInvalid", "False",
                "CNIConfigProblem", "False", "TailnetRouteProblem", "False", "MTUMismatch", "False",
                "NodePrerequisitesProblem", "False"), c.values().stream()
                .collect(Collectors.toMap(NodeCondition::getType, NodeCondition::getStatus)));
        assertEquals("kubelet is posting ready status", c.get("Ready").getMessage());
        assertEquals("2026-11-24T07:59:50Z", c.get("Ready").getLastHeartbeatTime());
        assertEquals("PrerequisitesMet", c.get("NodePrerequisitesProblem").getReason());
        assertEquals("2026-11-24T08:00:00Z", c.get("MTUMismatch").getLastHeartbeatTime());
    }

    @Test
    void aConditionTurnsTrueWhenItsCheckFailsAndFalseWhenItRecoversMovingTransitionTimeOnlyThen() throws Exception {
        registerNode();
        healthy();
        pass();
        clock.advance(Duration.ofSeconds(30));
        record("tailnet", Outcome.fromChecks(List.of(Check.pass("tailscale0 up", "up"), Check.fail("tailscale0 MTU",
                "pod MTU 1500 + VXLAN 50 > tailscale0 MTU 1280; set the Calico MTU to 1230")), "routes ok"));
        Outcome failing = pass();
        assertTrue(failing.changed(), failing.message());
        NodeCondition mtu = conditions().get("MTUMismatch");
        assertEquals("True", mtu.getStatus());
        assertEquals("Tailscale0MTUFailed", mtu.getReason());
        assertEquals("pod MTU 1500 + VXLAN 50 > tailscale0 MTU 1280; set the Calico MTU to 1230", mtu.getMessage());
        assertEquals("2026-11-24T08:00:30Z", mtu.getLastTransitionTime());
        assertEquals("False", conditions().get("TailnetRouteProblem").getStatus(), "an MTU check is not a route problem");
        assertEquals("2026-11-24T08:00:00Z", conditions().get("TailnetRouteProblem").getLastTransitionTime());

        clock.advance(Duration.ofSeconds(30));
        healthy();
        assertTrue(pass().changed());
        mtu = conditions().get("MTUMismatch");
        assertEquals("False", mtu.getStatus());
        assertEquals("MtuWithinBudget", mtu.getReason());
        assertEquals("2026-11-24T08:01:00Z", mtu.getLastTransitionTime());
    }

    @Test
    void unchangedConditionsAreRewrittenOnlyOnTheHeartbeatWithinTheRequestBudget() throws Exception {
        registerNode();
        healthy();
        pass();
        drainRequests();
        int heartbeats = 0;
        for (int i = 0; i < 120; i++) { // one hour of passes at the 30 s default interval
            clock.advance(Duration.ofSeconds(30));
            Outcome o = pass();
            assertEquals(State.OK, o.state(), o.message());
            heartbeats += o.message().endsWith("heartbeat") ? 1 : 0;
        }
        List<String> requests = drainRequests();
        assertEquals(12, heartbeats, "one heartbeat every 5 minutes");
        assertTrue(requests.size() <= 15, "API requests per node-hour: " + requests);
        assertEquals(Collections.nCopies(12, "PATCH /api/v1/nodes/n1/status"), requests,
                "steady state is one PATCH per heartbeat and nothing else");
        NodeCondition mtu = conditions().get("MTUMismatch");
        assertEquals(clock.instant().toString(), mtu.getLastHeartbeatTime());
        assertEquals("2026-11-24T08:00:00Z", mtu.getLastTransitionTime());
    }

    /** Every request the mock server received since the last call, as "METHOD path". */
    private List<String> drainRequests() throws InterruptedException {
        List<String> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
            out.add(r.getMethod() + " " + r.getPath());
        }
        return out;
    }

    @Test
    void ownedTypesNoLongerPublishedAreRemovedAndForeignOnesSurvive() throws Exception {
        registerNode(
                cond("KubeconfigProblem", "True", "Stale"),       // owned; kubeconfigs is not enabled here
                cond("FrequentKubeletRestart", "False", "NoFrequentKubeletRestart")); // NPD's
        healthy();
        assertTrue(pass().changed());
        Map<String, NodeCondition> c = conditions();
        assertFalse(c.containsKey("KubeconfigProblem"), c.keySet().toString());
        assertEquals("NoFrequentKubeletRestart", c.get("FrequentKubeletRestart").getReason());
        assertEquals("True", c.get("Ready").getStatus());
    }

    @Test
    void aConditionWhoseSourceHasNotRunYetIsKeptAsItIs() throws Exception {
        registerNode(cond("CertificateBundleInvalid", "True", "NotEncryptedToHost"));
        record("tailnet", Outcome.ok(false, "ok")); // cert-bundle still pending after an agent restart
        pass();
        assertEquals("NotEncryptedToHost", conditions().get("CertificateBundleInvalid").getReason());
        assertFalse(conditions().containsKey("CertificatesExpiringSoon"));
    }

    @Test
    void whileTheApiIsDownPassesFailAndTheFirstPassAfterItReturnsCatchesUp() throws Exception {
        registerNode();
        healthy();
        pass();
        proxy.down();
        clock.advance(Duration.ofSeconds(30));
        record("cert-bundle", Outcome.failed("NotEncryptedToHost", "bundle is not encrypted to this host"));
        Outcome down = pass();
        assertEquals(State.FAILED, down.state());
        assertEquals("ApiUnavailable", down.reason());
        assertTrue(down.message().contains("127.0.0.1:" + proxy.port()), down.message());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(State.FAILED, pass().state(), "still down: the scheduler backs off and tries again");

        proxy.up();
        clock.advance(Duration.ofSeconds(4));
        Outcome back = pass();
        assertEquals(State.OK, back.state(), back.message());
        NodeCondition invalid = conditions().get("CertificateBundleInvalid");
        assertEquals("True", invalid.getStatus());
        assertEquals("NotEncryptedToHost", invalid.getReason());
        assertEquals("cert-bundle: bundle is not encrypted to this host", invalid.getMessage());
    }

    @Test
    void waitsForTheKubeconfigItsFilesAndTheNodeObject() throws Exception {
        healthy();
        Path kc = root.resolve("var/lib/kubelet/kubeconfig");
        Files.delete(kc);
        Outcome noKubeconfig = pass();
        assertEquals(State.WAITING, noKubeconfig.state());
        assertEquals("KubeconfigMissing", noKubeconfig.reason());
        assertEquals("/var/lib/kubelet/kubeconfig does not exist yet", noKubeconfig.message());

        TestKubeconfig.withClientCert(kc, "https://127.0.0.1:" + proxy.port(), "/run/node-agent/certs/ca.crt",
                "/run/node-agent/certs/kubelet.crt", "/run/node-agent/certs/kubelet.key");
        Outcome noCerts = pass();
        assertEquals(State.WAITING, noCerts.state());
        assertTrue(noCerts.message().startsWith("/run/node-agent/certs/ca.crt (referenced by"), noCerts.message());

        TestKubeconfig.insecure(kc, "https://127.0.0.1:" + proxy.port());
        Outcome noNode = pass();
        assertEquals(State.WAITING, noNode.state());
        assertEquals("NodeNotRegistered", noNode.reason());
        assertNull(client.nodes().withName("n1").get());

        registerNode();
        assertEquals(State.OK, pass().state());
        assertNotEquals(null, conditions().get("MTUMismatch"));
    }

    @Test
    void disabledSourcesPublishNothingAndWarningsAreNotProblems() throws Exception {
        registerNode();
        record("node-prereqs", Outcome.fromChecks(List.of(new Check("swap off", Severity.WARNING, false,
                "swap is on")), "ok"));
        pass();
        Map<String, NodeCondition> c = conditions();
        assertEquals("False", c.get("NodePrerequisitesProblem").getStatus());
        assertTrue(c.get("NodePrerequisitesProblem").getMessage().contains("1 warning"));
        assertFalse(c.containsKey("KubeconfigProblem"), "kubeconfigs is not a reconciler here");
    }

    @Test
    void withNoSourceEnabledNothingIsWrittenAtAll() throws Exception {
        registerNode();
        drainRequests();
        Outcome o = pass();
        assertEquals(State.OK, o.state(), o.message());
        assertFalse(o.changed());
        assertEquals(List.of("GET /api/v1/nodes/n1"), drainRequests());
        assertEquals(List.of("Ready"), client.nodes().withName("n1").get().getStatus().getConditions().stream()
                .map(NodeCondition::getType).toList());
    }

    @Test
    void transitionsPostEventsAgainstTheNodeRateLimitedPerHour() throws Exception {
        reconciler = new NodeConditionsReconciler(new NodeConditionsReconciler.Settings(
                "/var/lib/kubelet/kubeconfig", Duration.ofMinutes(5), Duration.ofSeconds(15), 3),
                "n1", new HostPaths(root), status, clock, new JsonPatchWriter());
        registerNode();
        healthy();
        pass(); // first publication of healthy conditions: no event
        for (int i = 0; i < 5; i++) { // MTU check flaps every 30 s
            clock.advance(Duration.ofSeconds(30));
            record("tailnet", Outcome.fromChecks(List.of(i % 2 == 0 ? Check.fail("tailscale0 MTU", "pod MTU 1500 + "
                    + "VXLAN 50 > tailscale0 MTU 1280") : Check.pass("tailscale0 MTU", "ok")), "ok"));
            assertEquals(State.OK, pass().state());
        }
        var events = client.v1().events().inNamespace("default").list().getItems().stream()
                .sorted(java.util.Comparator.comparing(io.fabric8.kubernetes.api.model.Event::getLastTimestamp))
                .toList();
        assertEquals(3, events.size(), "5 flips, at most 3 events per hour");
        assertEquals("Warning", events.getFirst().getType());
        assertEquals("Tailscale0MTUFailed", events.getFirst().getReason());
        assertEquals("MTUMismatch is now True: pod MTU 1500 + VXLAN 50 > tailscale0 MTU 1280",
                events.getFirst().getMessage());
        assertEquals("Node", events.getFirst().getInvolvedObject().getKind());
        assertEquals("n1", events.getFirst().getInvolvedObject().getName());
        assertEquals("Normal", events.get(1).getType());
        clock.advance(Duration.ofSeconds(30));
        assertEquals(2, ((Number) pass().details().get("eventsDropped")).intValue());
        client.v1().events().inNamespace("default").delete();
    }

    private static NodeCondition cond(String type, String status, String reason) {
        return new io.fabric8.kubernetes.api.model.NodeConditionBuilder().withType(type).withStatus(status)
                .withReason(reason).withMessage("m").withLastHeartbeatTime("2026-11-24T07:00:00Z")
                .withLastTransitionTime("2026-11-24T07:00:00Z").build();
    }
}
