package dev.nodeagent.bundle;

import java.util.List;

/**
 * A host's bundle in memory, keys decrypted. {@code toString()} names the certs only; key bytes never leave
 * through it. Holders should drop it (or {@link #wipe()} it) once written.
 */
public record LoadedBundle(byte[] caPem, List<LoadedCert> certs) {

    public LoadedBundle {
        certs = List.copyOf(certs);
    }

    /** Overwrites every decrypted key in place with zeros. */
    public void wipe() {
        certs.forEach(LoadedCert::wipe);
    }

    @Override
    public String toString() {
        return "LoadedBundle[certs=" + certs.stream().map(LoadedCert::cert).toList() + "]";
    }
}
