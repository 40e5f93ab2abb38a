package dev.nodeagent.agent.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.metrics.AgentMetrics;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.status.StatusStore;
import dev.nodeagent.api.json.ApiJson;
import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.Health;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpApiTest {

    StatusStore store = new StatusStore(InstantSource.system(), "n1", "worker", "1.2.3", List.of("a", "b"));
    AgentMetrics metrics = new AgentMetrics("1.2.3", List.of("a", "b"));
    HttpApi api = new HttpApi(store, null, metrics);

    @AfterEach
    void close() {
        api.close();
        metrics.close();
    }

    @Test
    void statusJsonIsSerialisedAgainExactlyWhenTheSnapshotChanges() {
        byte[] first = api.statusJson(store.snapshot(), false);
        assertArrayEquals(ApiJson.write(store.snapshot()).getBytes(StandardCharsets.UTF_8), first);
        assertSame(first, api.statusJson(store.snapshot(), false), "same records: same bytes");

        store.record("a", Outcome.ok(false, "fine"), Instant.now(), Duration.ofMillis(5));
        byte[] second = api.statusJson(store.snapshot(), false);
        assertNotSame(first, second);
        assertArrayEquals(ApiJson.write(store.snapshot()).getBytes(StandardCharsets.UTF_8), second);
        assertTrue(new String(second, StandardCharsets.UTF_8).contains("\"message\":\"fine\""));

        store.record("b", Outcome.ok(false, "also"), Instant.now(), Duration.ofMillis(5));
        AgentStatus ready = store.snapshot();
        assertEquals(Health.READY, ready.health());
        assertArrayEquals(ApiJson.write(ready).getBytes(StandardCharsets.UTF_8), api.statusJson(ready, false));
        // the indented layout is remembered apart from the compact one
        String pretty = new String(api.statusJson(ready, true), StandardCharsets.UTF_8);
        assertEquals(ApiJson.writePretty(ready) + "\n", pretty);
        assertArrayEquals(ApiJson.write(ready).getBytes(StandardCharsets.UTF_8), api.statusJson(ready, false));
    }

    @Test
    void servesStatusAndMetricsOverHttp() throws Exception {
        store.record("a", Outcome.ok(true, "did it"), Instant.now(), Duration.ofMillis(5));
        metrics.recordPass("a", Outcome.ok(true, "did it"), Duration.ofMillis(5), Instant.now());
        int port = api.start("127.0.0.1", 0);
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> status = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, status.statusCode());
            assertEquals("application/json", status.headers().firstValue("content-type").orElse(""));
            assertEquals(ApiJson.write(store.snapshot()), status.body());
        }
        HttpResponse<String> scrape = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, scrape.statusCode());
        assertEquals(AgentMetrics.PROMETHEUS_TEXT, scrape.headers().firstValue("content-type").orElse(""));
        assertTrue(scrape.body().contains("node_agent_reconcile_total{reconciler=\"a\",result=\"ok\"} 1"), scrape.body());
        assertTrue(scrape.body().contains("jvm_threads_states_threads{state=\"runnable\"}"), scrape.body());
        assertTrue(scrape.body().contains("process_files_open_files "), scrape.body());
        assertEquals(String.valueOf(scrape.body().getBytes(StandardCharsets.UTF_8).length),
                scrape.headers().firstValue("content-length").orElse("chunked"), "sent with a length, not chunked");
        HttpResponse<String> om = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(om.body().endsWith("# EOF\n"), om.body());
    }
}
