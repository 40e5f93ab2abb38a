package dev.nodeagent.bundle;

import dev.nodeagent.age.Age;
import dev.nodeagent.age.AgeException;
import dev.nodeagent.age.AgeIdentity;
import dev.nodeagent.age.Stanza;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a located bundle into memory and decrypts every key with the host's identities. Nothing is written
 * anywhere; a failure on any one key fails the whole load (a bundle is used as a set or not at all).
 */
public final class BundleLoader {

    private BundleLoader() {
    }

    /**
     * @throws BundleException {@code NoIdentity}, {@code BundleUnreadable}, {@code NotEncryptedToHost} (with the
     *                         tags found and ours), {@code KeyCorrupt} or {@code KeyUndecryptable}
     */
    public static LoadedBundle load(BundleLayout layout, List<AgeIdentity> identities) throws BundleException {
        if (identities.isEmpty()) {
            throw new BundleException("NoIdentity", null, "no identity to decrypt the bundle keys with");
        }
        byte[] ca = read(layout.caCert());
        List<LoadedCert> certs = new ArrayList<>();
        try {
            for (BundleEntry e : layout.entries()) {
                byte[] crt = read(e.certFile());
                byte[] key = decrypt(e.keyFile(), read(e.keyFile()), identities);
                certs.add(new LoadedCert(e.cert(), crt, key));
            }
        } catch (BundleException e) {
            certs.forEach(LoadedCert::wipe);
            throw e;
        }
        return new LoadedBundle(ca, certs);
    }

    /**
     * Every cert of {@code layout}, each key decrypted when it opens: a key that does not leaves its cert with a null
     * {@code keyPem} and its error in {@code keyErrors}, so a report can cover every file instead of the first.
     */
    public record Partial(LoadedBundle bundle, List<BundleException> keyErrors) {
        public Partial {
            keyErrors = List.copyOf(keyErrors);
        }
    }

    /** Like {@link #load}, but never stops at a key: see {@link Partial}. */
    public static Partial loadEach(BundleLayout layout, List<AgeIdentity> identities) throws BundleException {
        byte[] ca = read(layout.caCert());
        List<LoadedCert> certs = new ArrayList<>();
        List<BundleException> errors = new ArrayList<>();
        for (BundleEntry e : layout.entries()) {
            byte[] crt = read(e.certFile());
            byte[] key = null;
            try {
                if (identities.isEmpty()) {
                    throw new BundleException("NoIdentity", e.keyFile().toString(), "no identity to decrypt " + e.keyFile() + " with");
                }
                key = decrypt(e.keyFile(), read(e.keyFile()), identities);
            } catch (BundleException ex) {
                errors.add(ex);
            }
            certs.add(new LoadedCert(e.cert(), crt, key));
        }
        return new Partial(new LoadedBundle(ca, certs), errors);
    }

    /** The certs of {@code layout} without their keys: for the checks that need none. */
    public static LoadedBundle loadPublic(BundleLayout layout) throws BundleException {
        List<LoadedCert> certs = new ArrayList<>();
        for (BundleEntry e : layout.entries()) {
            certs.add(new LoadedCert(e.cert(), read(e.certFile()), null));
        }
        return new LoadedBundle(read(layout.caCert()), certs);
    }

    static byte[] decrypt(Path file, byte[] encrypted, List<AgeIdentity> identities) throws BundleException {
        try {
            return Age.decrypt(encrypted, identities);
        } catch (AgeException e) {
            if (e.kind() == AgeException.Kind.NO_MATCH) {
                throw new BundleException("NotEncryptedToHost", file.toString(),
                        file + " is not encrypted to this host: its recipients are " + recipientsOf(encrypted)
                                + ", this host's identities are " + describe(identities));
            }
            String reason = switch (e.kind()) {
                case HEADER_INVALID, HEADER_MAC_MISMATCH, PAYLOAD_CORRUPT, ARMOR_INVALID -> "KeyCorrupt";
                case IO -> "BundleUnreadable";
                default -> "KeyUndecryptable";
            };
            throw new BundleException(reason, file.toString(), file + ": " + e.getMessage(), e);
        }
    }

    /** The recipient stanzas of an age file as "type tag", grease stanzas left out. */
    public static List<String> recipientsOf(byte[] encrypted) {
        try {
            return Age.stanzas(encrypted).stream().filter(Stanza::known)
                    .map(Stanza::describe).toList();
        } catch (AgeException e) {
            return List.of("(unreadable header)");
        }
    }

    /** "type tag (source)" per identity, for messages. */
    public static List<String> describe(List<AgeIdentity> identities) {
        return identities.stream()
                .map(i -> i.type() + i.sshTag().map(t -> " " + t).orElse("") + " (" + i.source() + ")").toList();
    }

    private static byte[] read(Path file) throws BundleException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BundleException("BundleUnreadable", file.toString(), "cannot read " + file + ": " + e, e);
        }
    }
}
