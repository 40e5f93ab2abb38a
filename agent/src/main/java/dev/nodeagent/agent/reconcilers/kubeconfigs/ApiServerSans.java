package dev.nodeagent.agent.reconcilers.kubeconfigs;

import dev.nodeagent.api.status.Check;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Does the API server certificate cover the host kubeconfigs connect to? The seed cluster's EC2 API server cert
 * lacked the tailnet IP, so every worker failed TLS verification while the control plane itself was fine; this
 * check names the missing SAN before a kubelet has to find out.
 */
final class ApiServerSans {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final int DNS = 2;
    private static final int IP = 7;

    private ApiServerSans() {
    }

    static final String CHECK = "API server cert SANs";

    /** One check: the host of every server URL must be a DNS or IP SAN of {@code certFile} ({@code label} names it). */
    static Check check(Path certFile, String label, Collection<String> servers) {
        List<String> sans;
        try {
            sans = sans(certFile);
        } catch (IOException | CertificateException e) {
            return Check.fail(CHECK, label + " is not a readable PEM certificate: " + e.getMessage());
        }
        List<String> covered = new ArrayList<>();
        List<String> uncovered = new ArrayList<>();
        for (String server : servers) {
            String host = URI.create(server).getHost();
            (covers(sans, host) ? covered : uncovered).add(host);
        }
        if (uncovered.isEmpty()) {
            return Check.pass(CHECK, label + " covers " + String.join(", ", covered));
        }
        return Check.fail(CHECK, label + " has no SAN for " + String.join(", ", uncovered) + " (SANs: "
                + String.join(", ", sans) + "); TLS to it will fail — reissue the cert with "
                + String.join(", ", uncovered));
    }

    /** SANs as {@code DNS:name} / {@code IP:addr}, in the certificate's order. */
    static List<String> sans(Path certFile) throws IOException, CertificateException {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(certFile)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        List<String> out = new ArrayList<>();
        Collection<List<?>> all;
        try {
            all = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new CertificateException("bad subjectAltName extension", e);
        }
        if (all != null) {
            for (List<?> san : all) {
                int type = (Integer) san.get(0);
                if (type == DNS) {
                    out.add("DNS:" + san.get(1));
                } else if (type == IP) {
                    out.add("IP:" + san.get(1));
                }
            }
        }
        return out;
    }

    static boolean covers(List<String> sans, String host) {
        boolean ipLiteral = IPV4.matcher(host).matches() || host.startsWith("[") || host.contains(":");
        if (ipLiteral) {
            InetAddress want = literal(host);
            return want != null && sans.stream().filter(s -> s.startsWith("IP:"))
                    .map(s -> literal(s.substring(3))).anyMatch(want::equals);
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (String s : sans) {
            if (!s.startsWith("DNS:")) {
                continue;
            }
            String dns = s.substring(4).toLowerCase(Locale.ROOT);
            if (dns.equals(h) || (dns.startsWith("*.") && h.endsWith(dns.substring(1))
                    && h.indexOf('.') == h.length() - dns.length() + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Parses an IP literal without any DNS lookup (InetAddress never resolves literals). */
    private static InetAddress literal(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (!IPV4.matcher(t).matches() && !t.contains(":")) {
            return null;
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
