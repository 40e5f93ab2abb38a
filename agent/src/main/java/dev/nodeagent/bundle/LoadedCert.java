package dev.nodeagent.bundle;

import java.util.Arrays;

/**
 * One cert with its decrypted PEM private key ({@code keyPem} null: the key was not opened, only public checks apply). {@code toString()} never prints the key (nor the cert bytes);
 * {@code equals} compares contents so an unchanged bundle can be recognised.
 */
public record LoadedCert(String cert, byte[] certPem, byte[] keyPem) {

    /** Overwrites the decrypted key with zeros. */
    public void wipe() {
        if (keyPem != null) {
            Arrays.fill(keyPem, (byte) 0);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoadedCert c && cert.equals(c.cert) && Arrays.equals(certPem, c.certPem)
                && Arrays.equals(keyPem, c.keyPem);
    }

    @Override
    public int hashCode() {
        return cert.hashCode() * 31 + Arrays.hashCode(certPem);
    }

    @Override
    public String toString() {
        return "LoadedCert[cert=" + cert + ", certPem=" + certPem.length + " bytes, keyPem=(redacted)]";
    }
}
