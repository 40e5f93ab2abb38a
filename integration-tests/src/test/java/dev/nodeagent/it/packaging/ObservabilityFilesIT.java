package dev.nodeagent.it.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** packaging/prometheus and packaging/grafana: checked with the real promtool, and the dashboard's structure. */
class ObservabilityFilesIT {

    private static final Duration T = Duration.ofMinutes(1);
    private static final Path PROM = Dist.repo().resolve("packaging/prometheus");
    /** Every metric the rules and the dashboard may use: the agent's own and the standard ones it exports. */
    private static final Set<String> KNOWN_METRICS = Set.of("up", "node_agent_reconciler_ok", "node_agent_reconcile_total",
            "node_agent_reconcile_duration_seconds_sum", "node_agent_reconcile_duration_seconds_count",
            "node_agent_reconcile_duration_seconds_max", "node_agent_reconcile_changes_total", "node_agent_build_info",
            "x509_cert_not_after", "node_agent_route_ok", "node_agent_check_ok", "node_agent_interface_mtu_bytes",
            "process_start_time_seconds", "jvm_memory_used_bytes", "node_agent_path_mtu_bytes",
            "node_agent_path_mtu_required_bytes", "node_agent_path_rtt_seconds", "node_agent_path_loss_ratio",
            "node_agent_tailscale_peer_direct", "node_agent_tailscale_key_expiry_timestamp_seconds",
            "node_agent_clock_skew_seconds");

    @Test
    void alertRulesPassPromtoolCheckAndTheirUnitTests() {
        assumeTrue(Proc.onPath("promtool"), "promtool not installed (Debian package prometheus)");
        Proc check = Proc.run(T, Map.of(), List.of("promtool", "check", "rules", PROM.resolve("node-agent.rules.yml").toString()))
                .ok("promtool check rules");
        assertTrue(check.output().contains("SUCCESS: 13 rules found"), check.output());
        Proc test = Proc.run(T, Map.of(), List.of("promtool", "test", "rules", PROM.resolve("node-agent.rules.test.yml").toString()))
                .ok("promtool test rules");
        assertTrue(test.output().contains("SUCCESS"), test.output());
    }

    @Test
    void scrapeConfigExamplesAreValidPrometheusConfigs(@TempDir Path tmp) throws IOException {
        assumeTrue(Proc.onPath("promtool"), "promtool not installed (Debian package prometheus)");
        Path rules = tmp.resolve("node-agent.rules.yml");
        Files.copy(PROM.resolve("node-agent.rules.yml"), rules);
        Path sd = tmp.resolve("file_sd.yml");
        Files.copy(PROM.resolve("scrape-configs/file_sd-node-agent.yml"), sd);
        String plain = Files.readString(PROM.resolve("scrape-configs/prometheus.yml"))
                .replace("/etc/prometheus/rules/node-agent.rules.yml", rules.toString())
                .replace("/etc/prometheus/file_sd/node-agent.yml", sd.toString());
        Path plainFile = Files.writeString(tmp.resolve("prometheus.yml"), plain);
        Proc.run(T, Map.of(), List.of("promtool", "check", "config", plainFile.toString())).ok("promtool check config (static, file_sd)");

        // kube-prometheus-stack: Debian's promtool is built without Kubernetes service discovery, so check the
        // additionalScrapeConfigs' shape instead: one node-agent job on node discovery, addressed at port 9478.
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(PROM.resolve("scrape-configs/kube-prometheus-stack-values.yml")));
        List<?> scrape = (List<?>) ((Map<?, ?>) ((Map<?, ?>) values.get("prometheus")).get("prometheusSpec")).get("additionalScrapeConfigs");
        assertEquals(1, scrape.size(), scrape.toString());
        Map<?, ?> job = (Map<?, ?>) scrape.get(0);
        assertEquals("node-agent", job.get("job_name"));
        assertEquals("node", ((Map<?, ?>) ((List<?>) job.get("kubernetes_sd_configs")).get(0)).get("role"));
        assertTrue(((List<?>) job.get("relabel_configs")).stream().map(r -> (Map<?, ?>) r)
                .anyMatch(r -> "__address__".equals(r.get("target_label")) && "$1:9478".equals(r.get("replacement"))), job.toString());
        assertFalse(Files.readString(PROM.resolve("scrape-configs/kube-prometheus-stack-values.yml")).contains("kind: ServiceMonitor"));
    }

    @Test
    void grafanaDashboardHasAFixedUidADatasourceVariableAndTheDocumentedPanels() throws IOException {
        JsonNode d = JsonMapper.builder().build().readTree(Files.readString(Dist.repo().resolve("packaging/grafana/node-agent.json")));
        assertEquals("node-agent", d.path("uid").asString());
        List<JsonNode> vars = new ArrayList<>();
        d.path("templating").path("list").forEach(vars::add);
        assertTrue(vars.stream().anyMatch(v -> v.path("type").asString().equals("datasource")
                && v.path("name").asString().equals("datasource") && v.path("query").asString().equals("prometheus")), vars.toString());

        Set<String> titles = new HashSet<>();
        Set<Integer> ids = new HashSet<>();
        Set<String> metrics = new HashSet<>();
        Pattern metric = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\s*[{\\[]");
        for (JsonNode p : d.path("panels")) {
            assertTrue(ids.add(p.path("id").asInt()), "duplicate panel id " + p.path("id"));
            titles.add(p.path("title").asString());
            if (p.path("type").asString().equals("row")) {
                continue;
            }
            assertEquals("${datasource}", p.path("datasource").path("uid").asString(), "panel " + p.path("title"));
            assertFalse(p.path("targets").isEmpty(), "panel " + p.path("title") + " has no query");
            for (JsonNode t : p.path("targets")) {
                assertEquals("${datasource}", t.path("datasource").path("uid").asString(), "target of " + p.path("title"));
                Matcher m = metric.matcher(t.path("expr").asString());
                while (m.find()) {
                    if (!Set.of("by", "on", "sum", "min", "max", "count", "rate", "increase", "changes").contains(m.group(1))) {
                        metrics.add(m.group(1));
                    }
                }
            }
        }
        for (String t : List.of("Per-node health", "Reconcile duration (mean)", "Reconcile failures", "Certificate expiry",
                "Route via expected interface", "MTU checks", "Path MTU (measured vs required)", "Tailscale peers direct")) {
            assertTrue(titles.contains(t), "missing panel " + t + " in " + titles);
        }
        Set<String> unknown = new HashSet<>(metrics);
        unknown.removeAll(KNOWN_METRICS);
        assertTrue(unknown.isEmpty(), "dashboard queries unknown metrics " + unknown);
        assertTrue(metrics.containsAll(Set.of("x509_cert_not_after", "node_agent_route_ok", "node_agent_check_ok",
                "node_agent_reconcile_total", "node_agent_reconciler_ok")), metrics.toString());
    }
}
