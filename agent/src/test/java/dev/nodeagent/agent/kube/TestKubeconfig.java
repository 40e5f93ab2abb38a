package dev.nodeagent.agent.kube;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes kubeconfigs for tests (host paths under a temp host root). */
public final class TestKubeconfig {

    private TestKubeconfig() {
    }

    /** A kubeconfig without client auth that skips TLS verification: for fabric8's mock server. */
    public static void insecure(Path file, String server) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                users:
                - name: agent
                  user: {}
                contexts:
                - name: test
                  context: {cluster: test, user: agent}
                current-context: test
                """.formatted(server));
    }

    /** A kubeconfig with CA and client certificate/key as files (host paths), as the kubeconfigs reconciler writes. */
    public static void withClientCert(Path file, String server, String ca, String cert, String key) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: home
                  cluster:
                    server: %s
                    certificate-authority: %s
                users:
                - name: kubelet
                  user:
                    client-certificate: %s
                    client-key: %s
                contexts:
                - name: kubelet@home
                  context: {cluster: home, user: kubelet}
                current-context: kubelet@home
                """.formatted(server, ca, cert, key));
    }
}
