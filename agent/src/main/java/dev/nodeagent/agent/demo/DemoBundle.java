package dev.nodeagent.agent.demo;

import dev.nodeagent.age.AgeException;
import dev.nodeagent.age.AgeRecipient;
import dev.nodeagent.age.Recipients;
import dev.nodeagent.agent.host.AtomicWriter;
import dev.nodeagent.agent.host.FileMode;
import dev.nodeagent.bundle.BundleAuthor;
import dev.nodeagent.bundle.BundleException;
import dev.nodeagent.bundle.CertIssuer;
import dev.nodeagent.bundle.HostsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/**
 * The demo's cert bundle: a throwaway host SSH key ({@code ssh-keygen} when present, else made here) and a bundle
 * for the sandbox node written by the same code as {@code agentctl bundle create}, encrypted to that key, so the
 * {@code cert-bundle} reconciler has something real to decrypt. Both are made once; re-running leaves them alone.
 */
final class DemoBundle {

    static final String HOST_KEY = "etc/ssh/ssh_host_ed25519_key";
    static final String SECRETS = "var/lib/node-agent/bundle";

    private DemoBundle() {
    }

    static void ensure(Path sandbox, String nodeName) throws IOException {
        Path key = sandbox.resolve(HOST_KEY);
        if (!Files.exists(key)) {
            hostKey(key);
        }
        Path secrets = sandbox.resolve(SECRETS);
        if (Files.isDirectory(secrets.resolve("derived").resolve(nodeName))) {
            return;
        }
        try {
            AgeRecipient host = Recipients.parse(Files.readString(Path.of(key + ".pub")).strip());
            HostsFile hosts = new HostsFile("k8s", "k8s-ca", "10.96.0.0/12", "10.96.0.1", "cluster.local",
                    CertIssuer.KeyAlgorithm.ECDSA_P256, 3650, 365,
                    List.of(new HostsFile.Host(nodeName, false, host, List.of("127.0.0.1"))));
            // Demo only: the host key doubles as the operator key (a real bundle is also encrypted to operators).
            new BundleAuthor(new CertIssuer(new SecureRandom()), InstantSource.system()).write(new BundleAuthor.Request(
                    hosts, secrets, List.of(host), List.of(), BundleAuthor.Mode.CREATE, Duration.ZERO));
        } catch (AgeException | BundleException e) {
            throw new IOException("cannot create the demo cert bundle: " + e.getMessage(), e);
        }
    }

    private static void hostKey(Path key) throws IOException {
        Files.createDirectories(key.getParent());
        if (!sshKeygen(key)) {
            javaHostKey(key);
        }
    }

    /** An OpenSSH ed25519 key pair made with Bouncy Castle, for hosts without ssh-keygen. */
    static void javaHostKey(Path key) throws IOException {
        Ed25519PrivateKeyParameters sk = new Ed25519PrivateKeyParameters(new SecureRandom());
        String blob = Base64.getMimeEncoder(70, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(OpenSSHPrivateKeyUtil.encodePrivateKey(sk));
        String pem = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + blob + "\n-----END OPENSSH PRIVATE KEY-----\n";
        String pub = "ssh-ed25519 " + Base64.getEncoder().encodeToString(
                OpenSSHPublicKeyUtil.encodePublicKey(sk.generatePublicKey())) + " node-agent-demo\n";
        AtomicWriter writer = new AtomicWriter();
        writer.write(key, pem.getBytes(StandardCharsets.US_ASCII), FileMode.of(0600));
        writer.write(Path.of(key + ".pub"), pub.getBytes(StandardCharsets.US_ASCII), FileMode.of(0644));
    }

    private static boolean sshKeygen(Path key) {
        try {
            Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "node-agent-demo",
                    "-f", key.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.exists(key);
        } catch (IOException e) {
            return false; // not installed: make the key in Java
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
