package dev.nodeagent.agent.http;

import dev.nodeagent.agent.metrics.AgentMetrics;
import dev.nodeagent.agent.engine.Scheduler;
import dev.nodeagent.agent.status.StatusStore;
import dev.nodeagent.api.json.ApiTrees;
import dev.nodeagent.api.json.PlainJson;
import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.ReconcilerStatus;
import io.helidon.common.features.HelidonFeatures;
import io.helidon.common.features.api.HelidonFlavor;
import io.helidon.common.mapper.DefaultMapperProvider__ServiceDescriptor;
import io.helidon.common.mapper.MappersFactory__ServiceDescriptor;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.http.media.MediaContext;
import io.helidon.service.registry.GlobalServiceRegistry;
import io.helidon.service.registry.ServiceRegistry;
import io.helidon.service.registry.ServiceRegistryConfig;
import io.helidon.service.registry.ServiceRegistryManager;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /status} (JSON; indented with {@code ?pretty} or for curl), {@code /healthz} (the loops make
 * progress), {@code /readyz} (every reconciler ran and none failed), {@code /metrics} (Prometheus text 0.0.4 or
 * OpenMetrics by {@code Accept}). Read-only by design.
 */
public final class HttpApi implements AutoCloseable {

    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final StatusStore status;
    private final Scheduler scheduler;
    private final AgentMetrics metrics;
    private WebServer server;
    /** The last /status body of each layout (compact, pretty): see {@link #statusJson}. */
    private volatile StatusJson compactJson;
    private volatile StatusJson prettyJson;

    public HttpApi(StatusStore status, Scheduler scheduler, AgentMetrics metrics) {
        this.status = status;
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    /** Binds and starts serving; returns the bound port (useful when asked for port 0). */
    public int start(String host, int port) {
        ServiceRegistry registry = HelidonSetup.REGISTRY;
        server = WebServer.builder()
                // Configured in code: an empty config tree (MissingConfig, not Helidon's Config.empty(), which loads
                // Helidon's config machinery) and a registry without service discovery (HelidonSetup).
                .config(MissingConfig.ROOT)
                .serviceRegistry(registry)
                // What the server makes by default from Config.empty(): the built-in media supports (the class path
                // has no others), the content encodings found on the class path (none), TLS off.
                .mediaContext(MediaContext.create(MissingConfig.ROOT))
                .contentEncoding(ContentEncodingContext.create(MissingConfig.ROOT))
                .tls(Tls.builder().config(MissingConfig.ROOT).enabled(false).build())
                .host(host)
                .port(port)
                // TCP_NODELAY: a /metrics body (~8 KB) leaves in more than one segment, and with Nagle the last one
                // waits for the client's delayed ACK (~40 ms on Linux). Measured with packaging/bench/bench.sh:
                // /metrics p50 48 ms at ~5 ms CPU per scrape without it.
                .connectionOptions(o -> o.tcpNoDelay(true))
                // Socket streams, not Helidon's NioSocket: that one copies every response through a fixed 8 KB
                // buffer, one write(2) per 8 KB (a 17.5 KB /metrics body took three); the socket stream writes a
                // response in one. Paced 200 req/s: /metrics 1.16-1.27 -> 1.08-1.09 ms JVM CPU per request.
                .useNio(false)
                .routing(this::routes)
                .build()
                .start();
        return server.port();
    }

    /**
     * Process-wide Helidon set-up, once, before the first server. Each loaded class costs RSS (the AOT cache links
     * every class it holds at start, ~6.8 KiB each); counts are of the demo run ({@code -Xlog:class+load}).
     * <ul>
     * <li>The global service registry, without discovery. Routing reaches {@code Mappers.create()} (through
     * {@code Parameters.empty()}), which asks the global registry for mapper providers; Helidon's default registry
     * first discovers every service of every Helidon jar on the class path (config, metrics, web server, ...): ~530
     * classes. This one holds the one service those lookups found, the default mapper provider, and the global
     * mappers, which header and query values use when mapped to other types ({@code MapperManager.global()} looks
     * them up in the global registry). The server gets it too, so its feature discovery finds nothing either (it found Helidon's request-scope feature, which only
     * serves injected request-scoped services; the agent has none).
     * <li>No feature banner. {@code WebServer.start()} prints Helidon's features ("Helidon SE 4.5.0 features: ...",
     * INFO, below the WARN that LogSetup lets through for io.helidon) from a thread that first scans the class
     * path's Helidon metadata for them: 84 classes. It prints only when the process's flavor is SE; declaring MP
     * first (as Helidon MP does, which prints its own banner) makes that print a no-op.
     * <li>No scan for serialisation filter patterns. At start the server installs the JDK serialisation filter,
     * {@code !*} plus the patterns of every {@code META-INF/helidon/serial-config.properties} on the class path,
     * found by scanning the Helidon metadata. No jar of the agent has one (all 102 checked), so the filter is
     * {@code !*} either way; {@code helidon.serialFilter.ignoreFiles} skips the scan. Set only when unset.
     * </ul>
     */
    private static final class HelidonSetup {
        static final ServiceRegistry REGISTRY;

        static {
            HelidonFeatures.flavor(HelidonFlavor.MP);
            if (System.getProperty("helidon.serialFilter.ignoreFiles") == null) {
                System.setProperty("helidon.serialFilter.ignoreFiles", "true");
            }
            REGISTRY = GlobalServiceRegistry.registry(ServiceRegistryManager.create(ServiceRegistryConfig.builder()
                            .discoverServices(false)
                            .discoverServicesFromServiceLoader(false)
                            .addServiceDescriptor(DefaultMapperProvider__ServiceDescriptor.INSTANCE)
                            .addServiceDescriptor(MappersFactory__ServiceDescriptor.INSTANCE)
                            .build())
                    .registry());
        }
    }

    void routes(HttpRouting.Builder r) {
        r.get("/status", this::status)
                .get("/healthz", this::healthz)
                .get("/readyz", this::readyz)
                .get("/metrics", this::metrics)
                .get("/", (req, res) -> text(res, Status.OK_200, "node-agent: see /status /healthz /readyz /metrics\n"));
    }

    private void status(ServerRequest req, ServerResponse res) {
        boolean pretty = req.query().contains("pretty")
                || req.headers().first(HeaderNames.USER_AGENT).map(ua -> ua.startsWith("curl/")).orElse(false);
        res.header(HeaderNames.CONTENT_TYPE, JSON);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(statusJson(status.snapshot(), pretty));
    }

    /**
     * The JSON of {@code snapshot}, serialised again only when it differs from the last one served. Not a cache
     * with an age: a snapshot is made of the store's immutable {@link ReconcilerStatus} records (replaced, never
     * changed, when a pass finishes) and the agent's constants, so when every record is the very same object as
     * last time, so are the bytes. Jackson was ~60% of a /status request's CPU; reconcilers finish a pass every
     * few seconds, so nearly every request reuses the bytes.
     */
    byte[] statusJson(AgentStatus snapshot, boolean pretty) {
        StatusJson last = pretty ? prettyJson : compactJson;
        if (last != null && last.sameAs(snapshot)) {
            return last.json;
        }
        byte[] json = pretty ? (PlainJson.writePretty(ApiTrees.status(snapshot)) + "\n").getBytes(StandardCharsets.UTF_8)
                : PlainJson.writeBytes(ApiTrees.status(snapshot));
        StatusJson fresh = new StatusJson(snapshot, json);
        if (pretty) {
            prettyJson = fresh;
        } else {
            compactJson = fresh;
        }
        return json;
    }

    private record StatusJson(AgentStatus snapshot, byte[] json) {
        boolean sameAs(AgentStatus other) {
            List<ReconcilerStatus> a = snapshot.reconcilers();
            List<ReconcilerStatus> b = other.reconcilers();
            if (a.size() != b.size() || snapshot.health() != other.health() || !snapshot.node().equals(other.node())
                    || !java.util.Objects.equals(snapshot.role(), other.role())
                    || !java.util.Objects.equals(snapshot.version(), other.version())
                    || !java.util.Objects.equals(snapshot.startedAt(), other.startedAt())) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i) != b.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    private void healthz(ServerRequest req, ServerResponse res) {
        Optional<String> stalled = scheduler.stalled();
        text(res, stalled.isEmpty() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503,
                stalled.map(s -> "unhealthy: " + s).orElse("ok") + "\n");
    }

    private void readyz(ServerRequest req, ServerResponse res) {
        Optional<String> why = status.notReadyReason();
        text(res, why.isEmpty() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503,
                why.map(s -> "not ready: " + s).orElse("ready") + "\n");
    }

    private void metrics(ServerRequest req, ServerResponse res) throws InterruptedException {
        AgentMetrics.Scrape scrape = metrics.scrape(req.headers().first(HeaderNames.ACCEPT).orElse(null));
        res.header(HeaderNames.CONTENT_TYPE, scrape.contentType());
        res.send(scrape.bytes());
    }

    private static void text(ServerResponse res, Status code, String body) {
        res.status(code);
        res.header(HeaderNames.CONTENT_TYPE, TEXT);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(body);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
    }
}
