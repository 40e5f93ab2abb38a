package dev.nodeagent.bundle;

import java.nio.file.Path;

/**
 * One cert of a bundle as found on disk: its short name ({@code kubelet}, {@code kube-apiserver},
 * {@code service-account}, …), the PEM certificate (for {@code service-account} this may be a PEM public key,
 * {@code .pub}) and the age-encrypted PEM private key.
 */
public record BundleEntry(String cert, Path certFile, Path keyFile) {
}
