package dev.nodeagent.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one {@code service-account} signing key pair all control planes share (each apiserver must verify tokens
 * the others signed). Reused when any control plane already has it — copied, re-encrypted, to those that lack
 * it — else made once. Never rotated here: that would invalidate every token in the cluster. {@code create}
 * re-encrypts it to each control plane's current key; {@code renew} only copies it to planes that lack it.
 */
final class ServiceAccountKeys {

    private final CertIssuer issuer;
    private final BundleAuthor.Request request;
    private final X509Certificate ca;
    private final BundleAuthor.KeySupplier caKey;
    private final Instant now;

    ServiceAccountKeys(CertIssuer issuer, BundleAuthor.Request request, X509Certificate ca, BundleAuthor.KeySupplier caKey, Instant now) {
        this.issuer = issuer;
        this.request = request;
        this.ca = ca;
        this.caKey = caKey;
        this.now = now;
    }

    void write(List<BundleAuthor.Action> actions) throws BundleException {
        HostsFile h = request.hosts();
        String sa = CertProfiles.SERVICE_ACCOUNT;
        List<HostsFile.Host> planes = h.hosts().stream().filter(HostsFile.Host::controlPlane).toList();
        if (planes.isEmpty()) {
            return;
        }
        Optional<HostsFile.Host> holder = planes.stream()
                .filter(p -> Files.isRegularFile(crt(p)) && Files.isRegularFile(key(p))).findFirst();
        byte[] certPem;
        byte[] keyPem = null;
        Instant notAfter;
        if (holder.isPresent()) {
            try {
                certPem = Files.readAllBytes(crt(holder.get()));
            } catch (IOException e) {
                throw new BundleException("BundleUnreadable", crt(holder.get()).toString(), "cannot read " + crt(holder.get()), e);
            }
            notAfter = Pem.isCertificate(certPem) ? Pem.certificate(certPem).getNotAfter().toInstant() : null;
        } else {
            KeyPair kp = issuer.newKeyPair(h.keyAlgorithm());
            CertProfile p = CertProfiles.byName(sa).orElseThrow();
            X509Certificate c = issuer.issue(new CertIssuer.LeafSpec(p.commonName(), List.of(), List.of(), false, false, true),
                    kp.getPublic(), ca, caKey.get(), now.minus(Duration.ofMinutes(5)), ca.getNotAfter().toInstant());
            certPem = Pem.encode(c);
            keyPem = Pem.encode(kp);
            notAfter = c.getNotAfter().toInstant();
        }
        try {
            // create re-encrypts the existing key to every control plane's current SSH key (a host key may have
            // changed); renew leaves present copies alone
            boolean reencrypt = request.mode() == BundleAuthor.Mode.CREATE;
            for (HostsFile.Host plane : planes) {
                boolean present = Files.isRegularFile(crt(plane)) && Files.isRegularFile(key(plane));
                if (holder.isPresent() && present && !reencrypt) {
                    actions.add(new BundleAuthor.Action(plane.name(), sa, "kept", notAfter));
                    continue;
                }
                if (keyPem == null) {
                    keyPem = Pem.encode(BundleAuthor.decryptKey(key(holder.get()), request.identities(),
                            "the service-account key of " + holder.get().name()));
                }
                List<dev.nodeagent.age.AgeRecipient> to = new ArrayList<>(request.operators());
                to.add(plane.recipient());
                BundleFiles.write(key(plane), BundleAuthor.encrypt(keyPem.clone(), to, key(plane)));
                BundleFiles.write(crt(plane), certPem);
                actions.add(new BundleAuthor.Action(plane.name(), sa,
                        holder.isEmpty() ? "issued" : present ? "re-encrypted" : "copied", notAfter));
            }
        } finally {
            if (keyPem != null) {
                java.util.Arrays.fill(keyPem, (byte) 0);
            }
        }
    }

    private Path crt(HostsFile.Host host) {
        return BundleLayout.certPath(request.out(), host.name(), request.hosts().ca(), CertProfiles.SERVICE_ACCOUNT);
    }

    private Path key(HostsFile.Host host) {
        return BundleLayout.keyPath(request.out(), host.name(), request.hosts().ca(), CertProfiles.SERVICE_ACCOUNT);
    }
}
