package dev.nodeagent.bundle;

import dev.nodeagent.age.Age;
import dev.nodeagent.age.AgeException;
import dev.nodeagent.age.AgeIdentity;
import dev.nodeagent.age.AgeRecipient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Writes bundles in the k8nix layout for {@code agentctl bundle create|renew}: creates the CA or reuses it
 * (its key decrypted with an operator identity), issues each host's certs per {@link CertProfiles}, and encrypts
 * each key to the operators and that host ({@code ca/<ca>.key.age} to the operators only).
 * <p>{@code CREATE} reissues every leaf from its profile; {@code RENEW} only leaves that are missing, not issued by
 * this CA, or expire within the given window, and reissues each as it was ({@link LeafTemplate}: subject, SANs,
 * usages, key type/size and key format kept) unless {@code hosts.yaml} states otherwise ({@link CertSettings}). The {@code service-account} key pair is shared by all control-plane hosts and is
 * never rotated by either mode (rotating it invalidates every service-account token); a control plane that lacks
 * it gets a copy of the existing one.
 */
public final class BundleAuthor {

    public enum Mode { CREATE, RENEW }

    /** @param renewWithin RENEW reissues leaves whose notAfter is closer than this */
    public record Request(HostsFile hosts, Path out, List<AgeRecipient> operators, List<AgeIdentity> identities,
                          Mode mode, Duration renewWithin) {
        public Request {
            operators = List.copyOf(operators);
            identities = List.copyOf(identities);
        }
    }

    /** What happened to one cert: {@code issued}, {@code renewed}, {@code kept} or {@code copied}. */
    public record Action(String host, String cert, String action, Instant notAfter) {
    }

    /** @param warnings for the operator, e.g. the CA itself expiring soon (leaves are capped at the CA's notAfter) */
    public record Result(boolean caCreated, Instant caNotAfter, List<Action> actions, List<String> warnings) {
    }

    /** Supplies a key or fails with a BundleException. */
    interface KeySupplier {
        PrivateKey get() throws BundleException;
    }

    /** The CA key, decrypted only when a cert is actually due (a no-op renew needs no operator identity). */
    private static final class CaKey implements KeySupplier {
        private PrivateKey key;
        private final KeySupplier load;

        CaKey(PrivateKey key, KeySupplier load) {
            this.key = key;
            this.load = load;
        }

        @Override
        public PrivateKey get() throws BundleException {
            if (key == null) {
                key = load.get();
            }
            return key;
        }
    }

    private static final Duration SKEW = Duration.ofMinutes(5);

    private final CertIssuer issuer;
    private final InstantSource clock;

    public BundleAuthor(CertIssuer issuer, InstantSource clock) {
        this.issuer = issuer;
        this.clock = clock;
    }

    public Result write(Request r) throws BundleException {
        if (r.operators().isEmpty()) {
            throw new BundleException("NoOperatorKey", null, "at least one operator key is required (--operator-key)");
        }
        Instant now = clock.instant();
        HostsFile h = r.hosts();
        Path caCrt = BundleLayout.caCertPath(r.out(), h.ca());
        Path caKeyFile = BundleLayout.caKeyPath(r.out(), h.ca());
        X509Certificate ca;
        CaKey caKey;
        boolean created = false;
        if (Files.exists(caCrt) || Files.exists(caKeyFile)) {
            ca = readCert(caCrt);
            caKey = new CaKey(null, () -> {
                PrivateKey k = decryptKey(caKeyFile, r.identities(), "the CA key");
                if (!BundleValidator.keyMatches("ca", k, ca.getPublicKey()).ok()) {
                    throw new BundleException("CaKeyMismatch", caKeyFile.toString(), caKeyFile + " does not belong to " + caCrt);
                }
                return k;
            });
            if (r.mode() == Mode.CREATE) {
                caKey.get(); // fail before writing anything
            }
        } else {
            KeyPair kp = issuer.newKeyPair(h.keyAlgorithm());
            ca = issuer.selfSignedCa(h.caCommonName(), kp, now.minus(SKEW), now.plus(Duration.ofDays(h.caValidityDays())), true);
            caKey = new CaKey(kp.getPrivate(), null);
            BundleFiles.write(caKeyFile, encrypt(Pem.encode(kp), r.operators(), caKeyFile));
            BundleFiles.write(caCrt, Pem.encode(ca));
            created = true;
        }
        List<Action> actions = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Instant caNotAfter = ca.getNotAfter().toInstant();
        Instant leafNotAfter = now.plus(Duration.ofDays(h.leafValidityDays()));
        if (leafNotAfter.isAfter(caNotAfter)) {
            // a leaf outliving its CA would only look valid: cap it, and tell the operator to plan a CA rotation
            leafNotAfter = caNotAfter;
            warnings.add("the CA " + caCrt + " expires " + caNotAfter + ", before " + h.leafValidityDays()
                    + " days from now: new leaves end with it; plan a CA rotation (move ca/ aside and run create)");
        }
        for (HostsFile.Host host : h.hosts()) {
            List<AgeRecipient> to = new ArrayList<>(r.operators());
            to.add(host.recipient());
            for (CertProfile p : CertProfiles.forRole(host.controlPlane())) {
                if (p.signingOnly()) {
                    continue;
                }
                Path crt = BundleLayout.certPath(r.out(), host.name(), h.ca(), p.cert());
                Path key = BundleLayout.keyPath(r.out(), host.name(), h.ca(), p.cert());
                Optional<X509Certificate> existing = existingFrom(crt, key, ca);
                boolean due = r.mode() == Mode.CREATE || existing.isEmpty()
                        || existing.get().getNotAfter().toInstant().isBefore(now.plus(r.renewWithin()));
                if (!due) {
                    actions.add(new Action(host.name(), p.cert(), "kept", existing.get().getNotAfter().toInstant()));
                    continue;
                }
                CertSettings stated = h.settingsFor(host, p.cert());
                // renew reissues what is there, even from another CA: its fields are the operator's, not ours
                Optional<X509Certificate> was = r.mode() == Mode.RENEW ? readable(crt) : Optional.empty();
                KeyFormat oldFormat = was.isEmpty() || stated.keyFormat() != null ? null
                        : Files.isRegularFile(key) ? keyFormatOf(key, r.identities(), p.cert()) : KeyFormat.PKCS8;
                CertIssuer.LeafSpec defaults = spec(p, host, h);
                LeafTemplate t = LeafTemplate.of(defaults, defaults.sans().isEmpty() ? List.of() : host.sans(),
                        h.keyAlgorithm(), was, stated, oldFormat);
                KeyPair kp = t.newKeyPair(issuer);
                X509Certificate leaf = issuer.issue(t.subject(), t.extensions(), kp.getPublic(), ca, caKey.get(),
                        now.minus(SKEW), leafNotAfter);
                BundleFiles.write(key, encrypt(Pem.encode(kp.getPrivate(), t.keyFormat()), to, key));
                BundleFiles.write(crt, Pem.encode(leaf));
                actions.add(new Action(host.name(), p.cert(), existing.isPresent() ? "renewed" : "issued",
                        leaf.getNotAfter().toInstant()));
            }
        }
        new ServiceAccountKeys(issuer, r, ca, caKey::get, now).write(actions);
        return new Result(created, caNotAfter, actions, warnings);
    }

    /** The subject and SANs {@code p} gets on {@code host}. */
    static CertIssuer.LeafSpec spec(CertProfile p, HostsFile.Host host, HostsFile h) {
        LinkedHashSet<String> sans = new LinkedHashSet<>();
        switch (p.cert()) {
            case CertProfiles.KUBELET -> {
                sans.add(host.name());
                sans.addAll(host.sans());
            }
            case "etcd-server", "etcd-peer" -> {
                sans.add(host.name());
                sans.add("localhost");
                sans.add("127.0.0.1");
                sans.addAll(host.sans());
            }
            case "kube-apiserver" -> {
                sans.addAll(List.of("kubernetes", "kubernetes.default", "kubernetes.default.svc",
                        "kubernetes.default.svc." + h.clusterDomain(), host.name(), "localhost", "127.0.0.1"));
                if (h.firstServiceIp() != null) {
                    sans.add(h.firstServiceIp());
                }
                sans.addAll(host.sans());
            }
            default -> {
                // client certs need no names
            }
        }
        return new CertIssuer.LeafSpec(p.commonNameFor(host.name()), p.organizations(), List.copyOf(sans),
                p.server(), p.client(), p.signingOnly());
    }

    /** The existing cert if both files exist and it was issued by {@code ca}; else empty (reissue). */
    static Optional<X509Certificate> existingFrom(Path crt, Path key, X509Certificate ca) {
        if (!Files.isRegularFile(crt) || !Files.isRegularFile(key)) {
            return Optional.empty();
        }
        try {
            X509Certificate c = Pem.certificate(Files.readAllBytes(crt));
            c.verify(ca.getPublicKey());
            return Optional.of(c);
        } catch (IOException | IllegalArgumentException | java.security.GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** The cert in {@code crt} when there is one that parses; else empty (issued from the profile). */
    static Optional<X509Certificate> readable(Path crt) {
        try {
            return Files.isRegularFile(crt) ? Optional.of(Pem.certificate(Files.readAllBytes(crt))) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The PEM format of the key in {@code file}, decrypted with the operator's identities (and wiped): renew writes
     * the new key the same way.
     */
    static KeyFormat keyFormatOf(Path file, List<AgeIdentity> identities, String cert) throws BundleException {
        String hint = "; pass --identity with a key it is encrypted to, or state certs." + cert
                + ".keyFormat (pkcs8, pkcs1, sec1) in hosts.yaml";
        if (identities.isEmpty()) {
            throw new BundleException("IdentityRequired", file.toString(), "renewing " + file
                    + " keeps its key format, which needs the old key" + hint);
        }
        byte[] pem = null;
        try {
            pem = Age.decrypt(Files.readAllBytes(file), identities);
            return KeyFormat.of(pem).orElseThrow(() -> new BundleException("KeyUnreadable", file.toString(),
                    file + " holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)"));
        } catch (IOException e) {
            throw new BundleException("BundleUnreadable", file.toString(), "cannot read " + file + ": " + e, e);
        } catch (AgeException e) {
            throw new BundleException(e.kind() == AgeException.Kind.NO_MATCH ? "NotEncryptedToIdentity" : "KeyUndecryptable",
                    file.toString(), "cannot tell the key format of " + file + ": it does not open with "
                    + BundleLoader.describe(identities) + hint);
        } finally {
            if (pem != null) {
                java.util.Arrays.fill(pem, (byte) 0);
            }
        }
    }

    static X509Certificate readCert(Path file) throws BundleException {
        try {
            return Pem.certificate(Files.readAllBytes(file));
        } catch (IOException | IllegalArgumentException e) {
            throw new BundleException("CertUnreadable", file.toString(), "cannot read certificate " + file + ": " + e.getMessage());
        }
    }

    static PrivateKey decryptKey(Path file, List<AgeIdentity> identities, String what) throws BundleException {
        if (!Files.isRegularFile(file)) {
            throw new BundleException("KeyMissing", file.toString(), what + " " + file + " is missing");
        }
        if (identities.isEmpty()) {
            throw new BundleException("IdentityRequired", file.toString(),
                    what + " " + file + " exists; pass --identity with an operator's private key to reuse it");
        }
        byte[] pem;
        try {
            pem = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BundleException("BundleUnreadable", file.toString(), "cannot read " + file + ": " + e, e);
        }
        try {
            pem = Age.decrypt(pem, identities);
        } catch (AgeException e) {
            throw new BundleException(e.kind() == AgeException.Kind.NO_MATCH ? "NotEncryptedToIdentity" : "KeyUndecryptable",
                    file.toString(), what + " " + file + " cannot be decrypted with " + BundleLoader.describe(identities)
                    + (e.kind() == AgeException.Kind.NO_MATCH ? "; it is encrypted to " + BundleLoader.recipientsOf(readQuietly(file))
                    : ": " + e.getMessage()));
        }
        try {
            return Pem.privateKey(pem);
        } catch (IllegalArgumentException e) {
            throw new BundleException("KeyUnreadable", file.toString(), what + " " + file + ": " + e.getMessage());
        } finally {
            java.util.Arrays.fill(pem, (byte) 0);
        }
    }

    static byte[] encrypt(byte[] pem, List<AgeRecipient> to, Path file) throws BundleException {
        try {
            return Age.encrypt(pem, to, false);
        } catch (AgeException e) {
            throw new BundleException("EncryptFailed", file.toString(), "cannot encrypt " + file + ": " + e.getMessage(), e);
        } finally {
            java.util.Arrays.fill(pem, (byte) 0);
        }
    }

    private static byte[] readQuietly(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
