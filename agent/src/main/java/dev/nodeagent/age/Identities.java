package dev.nodeagent.age;

import dev.nodeagent.age.AgeException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Loads identities (private keys) for decryption, like {@code age -i}: OpenSSH {@code openssh-key-v1} keys
 * (ed25519, RSA), PEM RSA keys (PKCS#1 {@code RSA PRIVATE KEY}, PKCS#8 {@code PRIVATE KEY}; PKCS#8 Ed25519 too) and
 * age identity files ({@code AGE-SECRET-KEY-1…} lines, {@code #} comments, blank lines). Passphrase-protected or
 * unsupported keys are an {@link AgeException.Kind#IDENTITY_INVALID} naming the file; a key file readable by
 * group or others is a warning, as ssh prints one. Messages never quote key material.
 */
public final class Identities {

    private Identities() {
    }

    /** Loads one identity file; a group/world-accessible file is logged as a warning (slf4j). */
    public static List<AgeIdentity> load(Path file) throws AgeException {
        return load(file, Identities::logWarning);
    }

    /** Like {@link #load(Path)} with the warnings going to {@code warnings} (e.g. a CLI's stderr). */
    public static List<AgeIdentity> load(Path file, Consumer<String> warnings) throws AgeException {
        String text;
        try {
            if (Files.size(file) > 1024 * 1024) {
                throw new AgeException(Kind.IDENTITY_INVALID, file + ": too large for an identity file");
            }
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new AgeException(Kind.IDENTITY_INVALID, "cannot read identity file " + file + ": " + reason(e), e);
        }
        List<AgeIdentity> ids = parse(text, file.toString());
        checkPermissions(file, warnings);
        return ids;
    }

    /** Parses identity text; {@code source} names it in messages (usually the file path). */
    public static List<AgeIdentity> parse(String text, String source) throws AgeException {
        String trimmed = text.strip();
        if (trimmed.startsWith("-----BEGIN OPENSSH PRIVATE KEY-----")) {
            return List.of(OpenSshKeys.parse(trimmed, source));
        }
        if (trimmed.startsWith("-----BEGIN ")) {
            return List.of(PemKeys.parse(trimmed, source));
        }
        return ageIdentityFile(text, source);
    }

    private static List<AgeIdentity> ageIdentityFile(String text, String source) throws AgeException {
        List<AgeIdentity> ids = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            String where = source + ":" + (i + 1);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("AGE-SECRET-KEY-1")) {
                byte[] secret = Bech32s.decode(line, Bech32s.IDENTITY_HRP).orElseThrow(() -> new AgeException(
                        Kind.IDENTITY_INVALID, where + ": malformed AGE-SECRET-KEY-1 identity (bad Bech32)"));
                ids.add(new X25519Identity(secret, source));
                java.util.Arrays.fill(secret, (byte) 0);
            } else if (line.startsWith("AGE-SECRET-KEY-PQ-1")) {
                throw new AgeException(Kind.IDENTITY_INVALID, where + ": post-quantum age identities are not supported");
            } else if (line.startsWith("AGE-PLUGIN-")) {
                throw new AgeException(Kind.IDENTITY_INVALID, where + ": age plugin identities are not supported");
            } else if (line.startsWith("ssh-") || line.startsWith("ecdsa-") || line.startsWith("sk-")) {
                throw new AgeException(Kind.IDENTITY_INVALID,
                        where + ": this is a public key; decryption needs the private key file");
            } else {
                throw new AgeException(Kind.IDENTITY_INVALID,
                        where + ": not an age identity (AGE-SECRET-KEY-1…) or an SSH private key");
            }
        }
        if (ids.isEmpty()) {
            throw new AgeException(Kind.IDENTITY_INVALID, source + ": contains no identity");
        }
        return List.copyOf(ids);
    }

    private static void checkPermissions(Path file, Consumer<String> warnings) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> open = EnumSet.copyOf(perms);
            open.retainAll(EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
                    PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE));
            if (!open.isEmpty()) {
                warnings.accept("identity file " + file + " is accessible by others (permissions "
                        + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                        + "); private keys should be mode 0600 or 0400");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to check.
        }
    }

    private static void logWarning(String message) {
        // Looked up lazily: agentctl must not initialise logging (start-up time, stdout) unless it has to.
        org.slf4j.LoggerFactory.getLogger(Identities.class).warn(message);
    }

    static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
