package dev.nodeagent.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.metrics.AgentMetrics;
import dev.nodeagent.agent.status.StatusStore;
import io.helidon.common.mapper.MapperManager;
import io.helidon.config.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Helidon set-up of {@link HttpApi}: no discovery, no Helidon config tree (see HttpApi.HelidonSetup). */
class HttpServerSetupTest {

    StatusStore store = new StatusStore(InstantSource.system(), "n1", "worker", "1.2.3", List.of("a"));
    AgentMetrics metrics = new AgentMetrics("1.2.3", List.of("a"));
    HttpApi api = new HttpApi(store, null, metrics);

    @AfterEach
    void close() {
        api.close();
        metrics.close();
    }

    @Test
    void theRegistryWithoutDiscoveryStillServesWhatHelidonLooksUpLazily() throws Exception {
        int port = api.start("127.0.0.1", 0);
        // header and query values mapped to other types go through the global mappers, from the global registry
        assertEquals(42, MapperManager.global().map("42", String.class, Integer.class));
        assertEquals("42", MapperManager.global().map(42L, Long.class, String.class));
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> root = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?x=1&y"))
                .header("X-Number", "7").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, root.statusCode());
        assertEquals("text/plain; charset=utf-8", root.headers().firstValue("content-type").orElse(""));
        assertEquals("no-store", root.headers().firstValue("cache-control").orElse(""));
        assertEquals("node-agent: see /status /healthz /readyz /metrics\n", root.body());
        assertEquals(404, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/nope")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void missingConfigAnswersLikeAnEmptyHelidonConfig() {
        Config c = MissingConfig.ROOT.get("server.connection-options");
        assertFalse(c.exists());
        assertEquals(Config.Type.MISSING, c.type());
        assertEquals("server.connection-options", c.key().toString());
        assertEquals("connection-options", c.key().name());
        assertEquals("server", c.key().parent().toString());
        assertTrue(MissingConfig.ROOT.key().isRoot());
        assertEquals(true, c.get("tcp-no-delay").asBoolean().orElse(true));
        assertTrue(c.asNodeList().isEmpty());
        assertTrue(c.asMap().isEmpty());
        assertEquals(0, c.traverse().count());
        assertEquals(Config.empty().get("server.connection-options").key().toString(), c.key().toString());
    }
}
