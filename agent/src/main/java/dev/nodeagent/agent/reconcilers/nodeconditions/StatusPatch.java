package dev.nodeagent.agent.reconcilers.nodeconditions;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends exactly one {@code PATCH /api/v1/nodes/<name>/status} on the client's HTTP client (same TLS, client
 * certificate and timeouts). Not fabric8's {@code subresource("status").patch(...)}: measured on 8.0, that GETs the
 * Node before every PATCH, doubling the request budget.
 */
final class StatusPatch {

    private StatusPatch() {
    }

    static List<NodeCondition> send(KubernetesClient client, String node, String contentType, String body) {
        String base = client.getMasterUrl().toString();
        String url = (base.endsWith("/") ? base : base + "/") + "api/v1/nodes/"
                + URLEncoder.encode(node, StandardCharsets.UTF_8) + "/status";
        Integer timeout = client.getConfiguration().getRequestTimeout();
        long ms = timeout == null || timeout <= 0 ? 10_000 : timeout;
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder().uri(url)
                .method("PATCH", contentType, body).timeout(ms, TimeUnit.MILLISECONDS).build();
        HttpResponse<String> response;
        try {
            response = client.getHttpClient().sendAsync(request, String.class).get(ms + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted", e);
        } catch (ExecutionException e) {
            throw new KubernetesClientException(String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new KubernetesClientException("no answer within " + ms + " ms", e);
        }
        if (!response.isSuccessful()) {
            Status status = null;
            try {
                status = client.getKubernetesSerialization().unmarshal(response.body(), Status.class);
            } catch (RuntimeException e) {
                // not a Status body (a proxy's error page): keep the code only
            }
            String message = status != null && status.getMessage() != null ? status.getMessage()
                    : "HTTP " + response.code();
            throw new KubernetesClientException(message, response.code(), status);
        }
        Node after = client.getKubernetesSerialization().unmarshal(response.body(), Node.class);
        return after == null || after.getStatus() == null || after.getStatus().getConditions() == null
                ? List.of() : after.getStatus().getConditions();
    }
}
