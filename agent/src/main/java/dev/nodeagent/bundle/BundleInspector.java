package dev.nodeagent.bundle;

import dev.nodeagent.age.Age;
import dev.nodeagent.age.AgeException;
import dev.nodeagent.age.Stanza;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Describes a bundle directory without decrypting anything: every cert (the CA and each host's), its subject,
 * SANs, usages, dates and days left, the recipients (stanza types and SSH tags) of its encrypted key, and the
 * result of every {@link BundleValidator} check that needs no private key (chain, validity, usages, node name,
 * subject, CA). For {@code agentctl bundle inspect}.
 */
public final class BundleInspector {

    /**
     * One cert as found. {@code host} is "" for the CA and for a flat directory; {@code keyRecipients} lists
     * "type tag" per stanza (grease left out), empty when there is no key file; {@code daysLeft} is null for a bare
     * public key; {@code checks} are the keyless checks of this cert.
     */
    public record Inspected(String host, String cert, String certFile, String subjectCN, String subjectO,
                            String issuerCN, String serialNumber, Instant notBefore, Instant notAfter,
                            List<String> sans, String keyFile, List<String> keyRecipients, String error,
                            List<String> keyUsages, List<String> extendedKeyUsages, Long daysLeft, List<Finding> checks) {

        /** True when nothing is wrong: no error and no failed check. */
        public boolean ok() {
            return error == null && checks.stream().noneMatch(c -> c.result().equals("fail"));
        }

        Inspected withChecks(List<Finding> c) {
            return new Inspected(host, cert, certFile, subjectCN, subjectO, issuerCN, serialNumber, notBefore, notAfter,
                    sans, keyFile, keyRecipients, error, keyUsages, extendedKeyUsages, daysLeft, List.copyOf(c));
        }
    }

    /** One check of one cert: its id ({@link CertCheck#check()}), {@code ok}, {@code warn} or {@code fail}, and why. */
    public record Finding(String check, String result, String message) {
        static Finding of(CertCheck c) {
            return new Finding(c.check(), c.ok() ? c.warning() ? "warn" : "ok" : "fail", c.message());
        }
    }

    private BundleInspector() {
    }

    /**
     * Every cert under {@code dir} for CA {@code ca}, k8nix layout (all hosts) or flat, checked at {@code now}. The
     * kubelet cert must name {@code node} (default: its host dir's name; a flat dir without {@code node} skips it).
     */
    public static List<Inspected> inspect(Path dir, String ca, String node, Instant now) throws BundleException {
        List<Inspected> out = new ArrayList<>();
        Path k8nixCa = BundleLayout.caCertPath(dir, ca);
        if (Files.isRegularFile(k8nixCa)) {
            Inspected caEntry = describe("", "ca", k8nixCa, BundleLayout.caKeyPath(dir, ca), now);
            List<Finding> caChecks = new ArrayList<>();
            out.add(caEntry);
            for (String host : BundleLayout.hostsIn(dir)) {
                BundleLayout layout;
                try {
                    layout = BundleLayout.locate(dir, host, ca);
                } catch (BundleException e) {
                    out.add(new Inspected(host, "", e.file(), "", "", "", "", null, null, List.of(), "", List.of(),
                            e.getMessage(), List.of(), List.of(), null, List.of()));
                    continue;
                }
                ValidationReport r = BundleValidator.validate(BundleLoader.loadPublic(layout), node != null ? node : host, now);
                if (caChecks.isEmpty()) {
                    caChecks.addAll(of(r, "ca"));
                }
                layout.entries().forEach(e -> out.add(describe(host, e.cert(), e.certFile(), e.keyFile(), now)
                        .withChecks(of(r, e.cert()))));
            }
            out.set(0, caEntry.withChecks(caChecks));
            return out;
        }
        BundleLayout flat = BundleLayout.locate(dir, "", ca);
        ValidationReport r = BundleValidator.validate(BundleLoader.loadPublic(flat), node, now);
        out.add(describe("", "ca", flat.caCert(), dir.resolve("ca.key.age"), now).withChecks(of(r, "ca")));
        flat.entries().forEach(e -> out.add(describe("", e.cert(), e.certFile(), e.keyFile(), now).withChecks(of(r, e.cert()))));
        return out;
    }

    private static List<Finding> of(ValidationReport r, String cert) {
        return r.checks().stream().filter(c -> c.cert().equals(cert)).map(Finding::of).toList();
    }

    private static Inspected describe(String host, String cert, Path certFile, Path keyFile, Instant now) {
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
                        keyName, recipients, error, List.of(), List.of(), null, List.of());
            }
            X509Certificate c = Pem.certificate(pem);
            CertInfo i = X509Names.info(cert, c);
            return new Inspected(host, cert, certFile.toString(), i.subjectCN(), i.subjectO(), i.issuerCN(),
                    i.serialNumber(), i.notBefore(), i.notAfter(), i.sans(), keyName, recipients, error,
                    keyUsages(c), extendedKeyUsages(c), Duration.between(now, i.notAfter()).toDays(), List.of());
        } catch (IOException | IllegalArgumentException e) {
            return new Inspected(host, cert, certFile.toString(), "", "", "", "", null, null, List.of(), keyName,
                    recipients, certFile + ": " + e.getMessage(), List.of(), List.of(), null, List.of());
        }
    }

    /** keyUsage bit names as hosts.yaml spells them, in RFC 5280 order. */
    static List<String> keyUsages(X509Certificate c) {
        boolean[] ku = c.getKeyUsage();
        if (ku == null) {
            return List.of();
        }
        List<String> names = List.of("digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
                "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ku.length && i < names.size(); i++) {
            if (ku[i]) {
                out.add(names.get(i));
            }
        }
        return out;
    }

    /** extendedKeyUsage names (serverAuth, clientAuth, ...), dotted OIDs for others. */
    static List<String> extendedKeyUsages(X509Certificate c) {
        try {
            List<String> eku = c.getExtendedKeyUsage();
            if (eku == null) {
                return List.of();
            }
            Map<String, String> names = new java.util.HashMap<>();
            CertSettings.EXTENDED_KEY_USAGES.forEach((n, oid) -> names.put(oid, n));
            return eku.stream().map(o -> names.getOrDefault(o, o)).toList();
        } catch (java.security.cert.CertificateParsingException e) {
            return List.of("(unreadable)");
        }
    }
}
