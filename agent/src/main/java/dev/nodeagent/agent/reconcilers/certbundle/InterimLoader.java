package dev.nodeagent.agent.reconcilers.certbundle;

import dev.nodeagent.age.Age;
import dev.nodeagent.age.AgeException;
import dev.nodeagent.age.AgeIdentity;
import dev.nodeagent.age.Stanza;
import dev.nodeagent.bundle.BundleEntry;
import dev.nodeagent.bundle.BundleException;
import dev.nodeagent.bundle.BundleLayout;
import dev.nodeagent.bundle.LoadedBundle;
import dev.nodeagent.bundle.LoadedCert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a located bundle and decrypts every key in memory: all or nothing. Stands in for the bundle library's
 * loader until it is on this branch; "not encrypted to this host" is told from the recipient tags, with the tags
 * found and ours.
 */
final class InterimLoader {

    private InterimLoader() {
    }

    static LoadedBundle load(BundleLayout layout, List<AgeIdentity> identities) throws BundleException {
        byte[] ca = read(layout.caCert());
        List<LoadedCert> certs = new ArrayList<>();
        try {
            for (BundleEntry e : layout.entries()) {
                byte[] crt = read(e.certFile());
                byte[] encrypted = read(e.keyFile());
                try {
                    certs.add(new LoadedCert(e.cert(), crt, Age.decrypt(encrypted, identities)));
                } catch (AgeException ex) {
                    if (ex.kind() == AgeException.Kind.NO_MATCH) {
                        throw new BundleException("NotEncryptedToHost", e.keyFile().toString(), e.keyFile()
                                + " is not encrypted to this host: its recipients are " + tags(encrypted)
                                + ", this host's keys are " + identities.stream()
                                        .map(i -> i.type() + " " + i.sshTag().orElse("")).toList());
                    }
                    throw new BundleException("DecryptFailed", e.keyFile().toString(),
                            "cannot decrypt " + e.keyFile() + ": " + ex.getMessage());
                }
            }
        } catch (BundleException ex) {
            certs.forEach(LoadedCert::wipe);
            throw ex;
        }
        return new LoadedBundle(ca, certs);
    }

    private static String tags(byte[] file) {
        try {
            return Age.stanzas(file).stream().map(InterimLoader::describe).toList().toString();
        } catch (AgeException e) {
            return "(unreadable header)";
        }
    }

    private static String describe(Stanza s) {
        Optional<String> tag = s.sshTag();
        return s.type() + tag.map(t -> " " + t).orElse("");
    }

    private static byte[] read(Path p) throws BundleException {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new BundleException("BundleUnreadable", p.toString(), "cannot read " + p + ": " + e.getMessage());
        }
    }
}
