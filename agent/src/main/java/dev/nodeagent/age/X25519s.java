package dev.nodeagent.age;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * The X25519 function (RFC 7748) on the JDK's XDH provider. Deliberately not Bouncy Castle: the first use of a
 * class from the signed bcprov jar costs a jar-signature verification (0.2–2 s of start-up measured for agentctl),
 * and the JDK implementation is constant-time and clamps scalars as RFC 7748 requires.
 */
final class X25519s {

    static final byte[] BASE_POINT = basePoint();
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

    private X25519s() {
    }

    /** X25519(scalar, u) as 32 little-endian bytes; {@code null} when the result is all zero (low-order u). */
    static byte[] x25519(byte[] scalar, byte[] u) {
        try {
            KeyFactory kf = KeyFactory.getInstance("XDH");
            PrivateKey priv = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
            byte[] be = new byte[32];
            for (int i = 0; i < 32; i++) {
                be[i] = u[31 - i];
            }
            be[0] &= 0x7f;  // RFC 7748: mask the top bit; non-canonical u (≥ p) is reduced
            BigInteger uInt = new BigInteger(1, be).mod(P);
            PublicKey pub = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, uInt));
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(priv);
            ka.doPhase(pub, true);
            byte[] shared = ka.generateSecret();
            return Crypto.allZero(shared) ? null : shared;
        } catch (InvalidKeyException e) {
            return null;  // the JDK rejects small-order points ("Point has small order")
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 unavailable", e);
        }
    }

    /** The public key (u-coordinate) of {@code scalar}. */
    static byte[] publicKey(byte[] scalar) {
        byte[] pub = x25519(scalar, BASE_POINT);
        if (pub == null) {
            throw new IllegalStateException("X25519 base point multiplication failed");
        }
        return pub;
    }

    private static byte[] basePoint() {
        byte[] b = new byte[32];
        b[0] = 9;
        return b;
    }
}
