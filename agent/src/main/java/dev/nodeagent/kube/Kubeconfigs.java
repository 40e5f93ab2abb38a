package dev.nodeagent.kube;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Reads a kubeconfig and the files it references, and builds a fabric8 client on the JDK HTTP client with short
 * timeouts and no client-side retries (the caller's backoff retries). Absolute paths inside the kubeconfig are host
 * paths, mapped through {@code resolve} (the agent's host root); relative ones are relative to the kubeconfig's
 * directory, as kubectl does. {@link Loaded#fingerprint()} covers the kubeconfig and every referenced file, so a
 * rotated client certificate (same path, new content) is noticed and the client rebuilt.
 */
public final class Kubeconfigs {

    private Kubeconfigs() {
    }

    /** What {@link #load} found: either the client config, or the first missing file (a precondition, not an error). */
    public sealed interface Result permits Missing, Unchanged, Loaded {
    }

    /** {@code what} is a host path, for the status message. */
    public record Missing(String what) implements Result {
    }

    /** The kubeconfig and its files are byte-for-byte what {@code knownFingerprint} covered: keep the client. */
    public record Unchanged(String fingerprint) implements Result {
    }

    public record Loaded(Config config, String fingerprint, String server) implements Result {
    }

    /**
     * @param file     the kubeconfig, already mapped to where this process sees it
     * @param hostPath how the kubeconfig names the file (for messages)
     * @param resolve  maps an absolute host path to where this process sees it
     * @param knownFingerprint the fingerprint of the caller's current client, or null
     * @throws IOException              when a file cannot be read
     * @throws IllegalArgumentException when the kubeconfig cannot be parsed or has no current context
     */
    public static Result load(Path file, String hostPath, UnaryOperator<Path> resolve, Duration timeout,
                              String knownFingerprint)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            return new Missing(hostPath);
        }
        byte[] raw = Files.readAllBytes(file);
        io.fabric8.kubernetes.api.model.Config model;
        try {
            model = KubeConfigUtils.parseConfigFromString(new String(raw, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(hostPath + ": not a kubeconfig: " + firstLine(e.getMessage()), e);
        }
        MessageDigest digest = sha256();
        digest.update(raw);
        List<String> missing = new ArrayList<>();
        Path dir = file.toAbsolutePath().getParent();
        Consumer<Ref> visit = ref -> {
            if (ref.value() == null || ref.value().isEmpty()) {
                return;
            }
            Path p = ref.value().startsWith("/") ? resolve.apply(Path.of(ref.value())) : dir.resolve(ref.value());
            if (!Files.isRegularFile(p)) {
                missing.add(ref.value());
                return;
            }
            try {
                digest.update(Files.readAllBytes(p));
            } catch (IOException e) {
                missing.add(ref.value() + " (" + e.getMessage() + ")");
            }
            ref.set().accept(p.toString());
        };
        for (NamedCluster nc : nullSafe(model.getClusters())) {
            Cluster c = nc.getCluster();
            if (c != null) {
                visit.accept(new Ref(c.getCertificateAuthority(), c::setCertificateAuthority));
            }
        }
        for (NamedAuthInfo na : nullSafe(model.getUsers())) {
            AuthInfo u = na.getUser();
            if (u != null) {
                visit.accept(new Ref(u.getClientCertificate(), u::setClientCertificate));
                visit.accept(new Ref(u.getClientKey(), u::setClientKey));
                visit.accept(new Ref(u.getTokenFile(), u::setTokenFile));
                if (u.getClientKey() != null && missing.isEmpty()) {
                    Ecdsa.pkcs8ToSec1(Files.readAllBytes(Path.of(u.getClientKey()))).ifPresent(sec1 -> {
                        u.setClientKey(null); // fabric8 cannot read PKCS#8 EC keys; hand it SEC1 in memory
                        u.setClientKeyData(Base64.getEncoder().encodeToString(sec1));
                    });
                }
            }
        }
        if (!missing.isEmpty()) {
            return new Missing(missing.getFirst() + " (referenced by " + hostPath + ")");
        }
        String fingerprint = HexFormat.of().formatHex(digest.digest());
        if (fingerprint.equals(knownFingerprint)) {
            return new Unchanged(fingerprint); // building a client config is the slow part; skip it
        }
        if (model.getCurrentContext() == null || model.getCurrentContext().isEmpty()) {
            throw new IllegalArgumentException(hostPath + ": no current-context");
        }
        String rewritten = new KubernetesSerialization().asYaml(model);
        Config config = Config.fromKubeconfig(rewritten); // every file path in it is absolute by now
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        config.setConnectionTimeout(ms);
        config.setRequestTimeout(ms);
        config.setRequestRetryBackoffLimit(0); // the agent's own Backoff retries; no hidden retries inside a pass
        return new Loaded(config, fingerprint, config.getMasterUrl());
    }

    /** A client on the JDK HTTP client (the only one on the runtime class path). The caller closes it. */
    public static KubernetesClient client(Config config) {
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory())
                .build();
    }

    private record Ref(String value, Consumer<String> set) {
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
