package dev.nodeagent.age;

import dev.nodeagent.age.AgeException.Kind;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Parses recipients like {@code age -r/-R}: {@code ssh-ed25519 AAAA… [comment]}, {@code ssh-rsa AAAA… [comment]}
 * (≥ 2048 bits) and {@code age1…}. Files use recipients-file / authorized_keys syntax: one per line, {@code #}
 * comments and blank lines skipped, authorized_keys options before the key type tolerated.
 */
public final class Recipients {

    private Recipients() {
    }

    public static AgeRecipient parse(String line) throws AgeException {
        String s = line.strip();
        if (s.startsWith("age1")) {
            return x25519(s.split("\\s+")[0]);
        }
        String[] tokens = s.split("\\s+");
        for (int i = 0; i < tokens.length - 1; i++) {
            if (tokens[i].equals(SshKeys.ED25519) || tokens[i].equals(SshKeys.RSA)) {
                return ssh(tokens[i], tokens[i + 1]);
            }
        }
        String first = tokens.length == 0 ? "" : tokens[0];
        if (first.startsWith("ecdsa-") || first.startsWith("sk-") || first.startsWith("ssh-")) {
            throw invalid("unsupported SSH key type " + first.substring(0, Math.min(first.length(), 40))
                    + " (age supports ssh-ed25519 and ssh-rsa)");
        }
        if (first.startsWith("AGE-SECRET-KEY")) {
            throw invalid("this is a private key (AGE-SECRET-KEY-…); a recipient is the age1… public key");
        }
        throw invalid("not a recipient (expected ssh-ed25519 …, ssh-rsa … or age1…)");
    }

    public static List<AgeRecipient> load(Path file) throws AgeException {
        List<String> lines;
        try {
            lines = List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1));
        } catch (IOException e) {
            throw new AgeException(Kind.RECIPIENT_INVALID,
                    "cannot read recipients file " + file + ": " + Identities.reason(e), e);
        }
        List<AgeRecipient> result = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            try {
                result.add(parse(l));
            } catch (AgeException e) {
                throw new AgeException(Kind.RECIPIENT_INVALID, file + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        if (result.isEmpty()) {
            throw invalid(file + ": contains no recipient");
        }
        return List.copyOf(result);
    }

    private static AgeRecipient x25519(String s) throws AgeException {
        byte[] pk = Bech32s.decode(s, Bech32s.RECIPIENT_HRP)
                .orElseThrow(() -> invalid("malformed age1… recipient (bad Bech32 or length)"));
        if (X25519s.x25519(X25519s.BASE_POINT, pk) == null) {  // any scalar: clamping kills small-order parts
            throw invalid("age1… recipient is a low-order point");
        }
        return new X25519Recipient(pk);
    }

    private static AgeRecipient ssh(String type, String b64) throws AgeException {
        byte[] wire;
        try {
            wire = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw invalid(type + " key is not valid base64");
        }
        try {
            SshBuffer b = new SshBuffer(wire);
            String inner = b.text();
            if (!inner.equals(type)) {
                throw invalid(type + " line holds a key of another type");
            }
            if (type.equals(SshKeys.ED25519)) {
                byte[] pk = b.string();
                if (!b.atEnd()) {
                    throw invalid("malformed ssh-ed25519 key");
                }
                Optional<byte[]> mont = SshKeys.ed25519PublicToX25519(pk);
                if (mont.isEmpty() || X25519s.x25519(X25519s.BASE_POINT, mont.get()) == null) {
                    throw invalid("ssh-ed25519 key is not a valid curve point");
                }
                return new SshEd25519Recipient(wire, mont.get());
            }
            BigInteger e = b.mpint();
            BigInteger n = b.mpint();
            if (!b.atEnd() || n.signum() <= 0 || e.signum() <= 0) {
                throw invalid("malformed ssh-rsa key");
            }
            if (n.bitLength() < SshRsaRecipient.MIN_BITS) {
                throw invalid("ssh-rsa key has " + n.bitLength() + " bits; age requires at least 2048");
            }
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
            return new SshRsaRecipient(key, wire);
        } catch (IllegalArgumentException | GeneralSecurityException ex) {
            throw invalid("malformed " + type + " key");
        }
    }

    private static AgeException invalid(String message) {
        return new AgeException(Kind.RECIPIENT_INVALID, message);
    }
}
