package dev.nodeagent.kube;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * fabric8 8.0 reads client keys as PKCS#1 RSA, PKCS#8 RSA or SEC1 EC ({@code EC PRIVATE KEY}) but not PKCS#8 EC
 * ({@code PRIVATE KEY} holding an ECDSA key, what Bouncy Castle and {@code openssl genpkey} write): measured, it
 * fails with "Invalid DER: object is not integer". This converts such a key to SEC1 PEM, in memory only.
 */
final class Ecdsa {

    private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";

    private Ecdsa() {
    }

    /** SEC1 PEM bytes when {@code pem} is a PKCS#8 EC key; empty for anything else (left to fabric8). */
    static Optional<byte[]> pkcs8ToSec1(byte[] pem) throws IOException {
        String text = new String(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf(PKCS8_BEGIN);
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            return Optional.empty();
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + PKCS8_BEGIN.length(), end));
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(der);
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
            return Optional.empty();
        }
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            // PKCS#8 keeps the curve in the outer AlgorithmIdentifier; SEC1 must carry it in [0] parameters, which
            // fabric8's parser requires, so rebuild the structure with them.
            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
            ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(info.getPrivateKeyAlgorithm().getParameters());
            int bits = ECNamedCurveTable.getByOID(curve).getN().bitLength();
            ECPrivateKey full = new ECPrivateKey(bits, inner.getKey(), inner.getPublicKey(), curve);
            w.writeObject(new PemObject("EC PRIVATE KEY", full.getEncoded()));
        }
        return Optional.of(out.toString().getBytes(StandardCharsets.US_ASCII));
    }
}
