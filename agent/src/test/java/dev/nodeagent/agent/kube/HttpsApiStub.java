package dev.nodeagent.agent.kube;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A tiny independent HTTPS endpoint (JDK {@code HttpsServer}, not fabric8's mock) that requires a client
 * certificate signed by the test CA, records every request exactly as received and answers from a function.
 */
public final class HttpsApiStub implements AutoCloseable {

    /** One request as the server saw it; {@code clientSubject} is the verified client certificate's subject. */
    public record Request(String method, String pathAndQuery, String contentType, String body, String clientSubject) {
    }

    public record Response(int code, String json) {
    }

    private final HttpsServer server;
    public final List<Request> requests = new CopyOnWriteArrayList<>();

    public HttpsApiStub(SSLContext tls, Function<Request, Response> answer) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setNeedClientAuth(true); // no client certificate, no TLS session
                params.setSSLParameters(p);
            }
        });
        server.createContext("/", exchange -> {
            try (exchange) {
                String subject = ((HttpsExchange) exchange).getSSLSession().getPeerPrincipal().getName();
                String query = exchange.getRequestURI().getRawQuery();
                Request r = new Request(exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), subject);
                requests.add(r);
                Response resp = answer.apply(r);
                byte[] out = resp.json().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(resp.code(), out.length);
                exchange.getResponseBody().write(out);
            }
        });
        server.start();
    }

    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
