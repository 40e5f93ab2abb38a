package dev.nodeagent.bundle;

import dev.nodeagent.age.Age;
import dev.nodeagent.age.AgeException;
import dev.nodeagent.age.Stanza;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Describes a bundle directory without decrypting anything: every cert (the CA and each host's), its subject,
 * SANs and dates, and the recipients (stanza types and SSH tags) of its encrypted key. For {@code agentctl bundle
 * inspect}.
 */
public final class BundleInspector {

    /**
     * One cert as found. {@code host} is "" for the CA and for a flat directory; {@code keyRecipients} lists
     * "type tag" per stanza (grease left out), empty when there is no key file.
     */
    public record Inspected(String host, String cert, String certFile, String subjectCN, String subjectO,
                            String issuerCN, String serialNumber, Instant notBefore, Instant notAfter,
                            List<String> sans, String keyFile, List<String> keyRecipients, String error) {
    }

    private BundleInspector() {
    }

    /** Every cert under {@code dir} for CA {@code ca}, k8nix layout (all hosts) or flat. */
    public static List<Inspected> inspect(Path dir, String ca) throws BundleException {
        List<Inspected> out = new ArrayList<>();
        Path k8nixCa = BundleLayout.caCertPath(dir, ca);
        if (Files.isRegularFile(k8nixCa)) {
            out.add(describe("", "ca", k8nixCa, BundleLayout.caKeyPath(dir, ca)));
            for (String host : BundleLayout.hostsIn(dir)) {
                BundleLayout layout;
                try {
                    layout = BundleLayout.locate(dir, host, ca);
                } catch (BundleException e) {
                    out.add(new Inspected(host, "", e.file(), "", "", "", "", null, null, List.of(), "", List.of(), e.getMessage()));
                    continue;
                }
                layout.entries().forEach(e -> out.add(describe(host, e.cert(), e.certFile(), e.keyFile())));
            }
            return out;
        }
        BundleLayout flat = BundleLayout.locate(dir, "", ca);
        out.add(describe("", "ca", flat.caCert(), dir.resolve("ca.key.age")));
        flat.entries().forEach(e -> out.add(describe("", e.cert(), e.certFile(), e.keyFile())));
        return out;
    }

    private static Inspected describe(String host, String cert, Path certFile, Path keyFile) {
        List<String> recipients = List.of();
        String keyName = "";
        String error = null;
        if (Files.isRegularFile(keyFile)) {
            keyName = keyFile.toString();
            try {
                recipients = Age.stanzas(Files.readAllBytes(keyFile)).stream()
                        .filter(Stanza::known).map(Stanza::describe).toList();
            } catch (AgeException | IOException e) {
                error = keyFile + ": " + e.getMessage();
            }
        }
        try {
            byte[] pem = Files.readAllBytes(certFile);
            if (!Pem.isCertificate(pem)) {
                return new Inspected(host, cert, certFile.toString(), "", "", "", "", null, null, List.of(),
                        keyName, recipients, error == null ? null : error);
            }
            CertInfo i = X509Names.info(cert, Pem.certificate(pem));
            return new Inspected(host, cert, certFile.toString(), i.subjectCN(), i.subjectO(), i.issuerCN(),
                    i.serialNumber(), i.notBefore(), i.notAfter(), i.sans(), keyName, recipients, error);
        } catch (IOException | IllegalArgumentException e) {
            return new Inspected(host, cert, certFile.toString(), "", "", "", "", null, null, List.of(), keyName,
                    recipients, certFile + ": " + e.getMessage());
        }
    }
}
