package dev.nodeagent.agent.reconcilers.clock;

import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.kube.Kubeconfigs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The API server's {@code Date} header through the kubeconfig's server and CA (fabric8, JDK HTTP client): one GET of
 * {@code /livez}; any status will do, even 401/403, as every response carries the header. The client is rebuilt
 * when the kubeconfig or a file it references changes.
 */
final class ApiServerClock implements ClockSkewReconciler.ServerClock {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String kubeconfig;
    private final HostPaths paths;
    private KubernetesClient client;
    private String fingerprint;
    private String problem = "";

    ApiServerClock(String kubeconfig, HostPaths paths) {
        this.kubeconfig = kubeconfig;
        this.paths = paths;
    }

    @Override
    public Optional<Instant> date() throws Exception {
        Kubeconfigs.Result r = Kubeconfigs.load(paths.resolve(kubeconfig), kubeconfig,
                p -> paths.resolve(p.toString()), TIMEOUT, fingerprint);
        switch (r) {
            case Kubeconfigs.Missing m -> {
                close();
                problem = m.what() + " does not exist yet; the clock is compared with the API server once it does";
                return Optional.empty();
            }
            case Kubeconfigs.Loaded l -> {
                close();
                client = Kubeconfigs.client(l.config());
                fingerprint = l.fingerprint();
            }
            case Kubeconfigs.Unchanged u -> { }
        }
        String url = client.getConfiguration().getMasterUrl();
        HttpRequest req = client.getHttpClient().newHttpRequestBuilder()
                .uri(url.replaceFirst("/+$", "") + "/livez").timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).build();
        HttpResponse<String> resp = client.getHttpClient().sendAsync(req, String.class)
                .get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        String date = resp.header("Date");
        if (date == null) {
            throw new java.io.IOException(url + " answered " + resp.code() + " without a Date header");
        }
        return Optional.of(ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    }

    @Override
    public String lastProblem() {
        return problem;
    }

    private void close() {
        if (client != null) {
            client.close();
            client = null;
            fingerprint = null;
        }
    }
}
