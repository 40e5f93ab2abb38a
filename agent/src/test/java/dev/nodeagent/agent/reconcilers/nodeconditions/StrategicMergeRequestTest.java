package dev.nodeagent.agent.reconcilers.nodeconditions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.kube.HttpsApiStub;
import dev.nodeagent.agent.kube.MutableClock;
import dev.nodeagent.agent.kube.TestKubeconfig;
import dev.nodeagent.agent.kube.TestPki;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.status.StatusStore;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.State;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The exact production request (strategic merge on the status subresource) over real TLS with a client certificate
 * from bundle-style files, against an independent HTTPS endpoint: what fabric8's mock cannot check.
 */
class StrategicMergeRequestTest {

    private static final String NODE_JSON = """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"laptop1"},"status":{"conditions":[
              {"type":"Ready","status":"True","reason":"KubeletReady","message":"ok",
               "lastHeartbeatTime":"2026-11-24T07:59:50Z","lastTransitionTime":"2026-11-24T07:00:00Z"},
              {"type":"KubeconfigProblem","status":"True","reason":"Old","message":"stale",
               "lastHeartbeatTime":"2026-11-24T07:00:00Z","lastTransitionTime":"2026-11-24T07:00:00Z"}]}}
            """;

    @TempDir
    Path root;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void sendsOneStrategicMergePatchOfOwnedConditionsWithDeleteDirectivesOverClientCertTls() throws Exception {
        TestPki pki = new TestPki("system:node:laptop1", "system:nodes");
        pki.writeBundle(root.resolve("run/node-agent/certs"), "kubelet");
        try (HttpsApiStub api = new HttpsApiStub(pki.serverContext(), r -> new HttpsApiStub.Response(200, NODE_JSON))) {
            TestKubeconfig.withClientCert(root.resolve("var/lib/kubelet/kubeconfig"), api.url(),
                    "/run/node-agent/certs/ca.crt", "/run/node-agent/certs/kubelet.crt",
                    "/run/node-agent/certs/kubelet.key");
            MutableClock clock = new MutableClock(Instant.parse("2026-11-24T08:00:00Z"));
            StatusStore status = new StatusStore(clock, "laptop1", "worker", "test", List.of("tailnet"));
            status.record("tailnet", Outcome.fromChecks(List.of(Check.pass("tailscale0 up", "up"),
                    Check.fail("tailscale0 MTU", "pod MTU 1500 + VXLAN 50 > tailscale0 MTU 1280; set the Calico MTU"
                            + " to 1230")), "ok"), clock.instant(), Duration.ZERO);
            NodeConditionsReconciler reconciler = new NodeConditionsReconciler(
                    new NodeConditionsReconciler.Settings("/var/lib/kubelet/kubeconfig", Duration.ofMinutes(5),
                            Duration.ofSeconds(5)),
                    "laptop1", new HostPaths(root), status, clock, new StrategicMergeWriter());

            Outcome o = reconciler.reconcile(new ReconcileContext(clock.instant(), false, 0));

            assertEquals(State.OK, o.state(), o.message());
            assertEquals(2, api.requests.size(), api.requests.toString());
            HttpsApiStub.Request get = api.requests.get(0);
            assertEquals("GET", get.method());
            assertEquals("/api/v1/nodes/laptop1", get.pathAndQuery());
            HttpsApiStub.Request patch = api.requests.get(1);
            assertEquals("PATCH", patch.method());
            assertEquals("/api/v1/nodes/laptop1/status", patch.pathAndQuery());
            assertEquals("application/strategic-merge-patch+json", patch.contentType());
            assertTrue(patch.clientSubject().contains("CN=system:node:laptop1"), patch.clientSubject());
            JsonNode expected = json.readTree("""
                    {"status":{"conditions":[
                      {"lastHeartbeatTime":"2026-11-24T08:00:00Z","lastTransitionTime":"2026-11-24T08:00:00Z",
                       "message":"Cross-site traffic routes via the tailnet interface as expected.",
                       "reason":"TailnetRoutesOk","status":"False","type":"TailnetRouteProblem"},
                      {"lastHeartbeatTime":"2026-11-24T08:00:00Z","lastTransitionTime":"2026-11-24T08:00:00Z",
                       "message":"pod MTU 1500 + VXLAN 50 > tailscale0 MTU 1280; set the Calico MTU to 1230",
                       "reason":"Tailscale0MTUFailed","status":"True","type":"MTUMismatch"},
                      {"type":"KubeconfigProblem","$patch":"delete"}]}}
                    """);
            assertEquals(expected, json.readTree(patch.body()), patch.body());
        }
    }

    @Test
    void withoutAClientCertificateTheEndpointRefusesAndThePassFails() throws Exception {
        TestPki pki = new TestPki("system:node:laptop1", "system:nodes");
        pki.writeBundle(root.resolve("run/node-agent/certs"), "kubelet");
        try (HttpsApiStub api = new HttpsApiStub(pki.serverContext(), r -> new HttpsApiStub.Response(200, NODE_JSON))) {
            java.nio.file.Files.writeString(root.resolve("kc"), """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: c, cluster: {server: "%s", certificate-authority: /run/node-agent/certs/ca.crt}}]
                    users: [{name: u, user: {}}]
                    contexts: [{name: x, context: {cluster: c, user: u}}]
                    current-context: x
                    """.formatted(api.url()));
            MutableClock clock = new MutableClock(Instant.parse("2026-11-24T08:00:00Z"));
            NodeConditionsReconciler reconciler = new NodeConditionsReconciler(
                    new NodeConditionsReconciler.Settings("/kc", Duration.ofMinutes(5), Duration.ofSeconds(5)),
                    "laptop1", new HostPaths(root), new StatusStore(clock, "laptop1", "worker", "t", List.of()),
                    clock, new StrategicMergeWriter());
            Outcome o = reconciler.reconcile(new ReconcileContext(clock.instant(), false, 0));
            assertEquals(State.FAILED, o.state(), o.message());
            assertEquals("ApiUnavailable", o.reason());
            assertEquals(0, api.requests.size(), "no request gets through without a client certificate");
        }
    }
}
