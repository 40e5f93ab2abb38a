package dev.nodeagent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.api.json.ApiJson;
import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Health;
import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.api.status.State;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiJsonTest {

    private final AgentStatus status = new AgentStatus("n1", "worker", "1.0", Instant.parse("2026-11-24T07:00:00Z"),
            Health.DEGRADED, List.of(
                    new ReconcilerStatus("tailnet", State.FAILED, "RouteMissing", "100.64.0.1 routes via eth0",
                            Instant.parse("2026-11-24T07:01:00Z"), null, Instant.parse("2026-11-24T07:01:00Z"), 3, 0.25,
                            List.of(Check.fail("route 100.64.0.1", "via eth0, not tailscale0"),
                                    Check.warnIfNot(false, "swap", "swap is on")),
                            Map.of("interface", "tailscale0")),
                    ReconcilerStatus.pending("cni-ipam-link")));

    @Test
    void writesWireNamesAndIsoInstants() {
        String json = ApiJson.write(status);
        assertTrue(json.contains("\"state\":\"failed\""), json);
        assertTrue(json.contains("\"state\":\"pending\""), json);
        assertTrue(json.contains("\"health\":\"DEGRADED\""), json);
        assertTrue(json.contains("\"startedAt\":\"2026-11-24T07:00:00Z\""), json);
        assertTrue(json.contains("\"result\":\"fail\""), json);
        assertTrue(json.contains("\"result\":\"warn\""), json);
        assertTrue(json.contains("\"severity\":\"warning\""), json);
    }

    @Test
    void readsBackWhatItWrote() {
        assertEquals(status, ApiJson.read(ApiJson.write(status), AgentStatus.class));
        assertEquals(status, ApiJson.read(ApiJson.writePretty(status), AgentStatus.class));
    }

    @Test
    void ignoresFieldsANewerDaemonMayAdd() {
        String json = ApiJson.write(status).replaceFirst("\\{", "{\"newField\":42,");
        assertEquals(status, ApiJson.read(json, AgentStatus.class));
    }
}
