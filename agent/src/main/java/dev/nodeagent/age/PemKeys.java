package dev.nodeagent.age;

import java.io.IOException;
import java.io.StringReader;
import java.security.interfaces.RSAPrivateCrtKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** PEM private keys (Bouncy Castle's parser): PKCS#1 RSA, PKCS#8 RSA or Ed25519. The RSA tag is rebuilt from (e, n). */
final class PemKeys {

    private PemKeys() {
    }

    static AgeIdentity parse(String pem, String source) throws dev.nodeagent.age.AgeException {
        Object o;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            o = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw OpenSshKeys.invalid(source, "malformed PEM private key");
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw OpenSshKeys.invalid(source, "passphrase-protected private key; use an unencrypted key");
        }
        PrivateKeyInfo info;
        if (o instanceof PEMKeyPair pair) {
            info = pair.getPrivateKeyInfo();
        } else if (o instanceof PrivateKeyInfo pki) {
            info = pki;
        } else {
            throw OpenSshKeys.invalid(source, "not a private key age can use (PEM "
                    + (o == null ? "content not recognised" : o.getClass().getSimpleName()) + ")");
        }
        AsymmetricKeyParameter key;
        try {
            key = PrivateKeyFactory.createKey(info);
        } catch (IOException | RuntimeException e) {
            throw OpenSshKeys.invalid(source, "unsupported or malformed PEM private key");
        }
        if (key instanceof RSAPrivateCrtKeyParameters rsa) {
            RSAPrivateCrtKey jca = OpenSshKeys.rsaKey(rsa.getModulus(), rsa.getPublicExponent(), rsa.getExponent(),
                    rsa.getP(), rsa.getQ(), rsa.getQInv(), source);
            return new SshRsaIdentity(jca, null, source);
        }
        if (key instanceof Ed25519PrivateKeyParameters ed) {
            byte[] seed = ed.getEncoded();
            AgeIdentity id = new SshEd25519Identity(seed, ed.generatePublicKey().getEncoded(), source);
            java.util.Arrays.fill(seed, (byte) 0);
            return id;
        }
        throw OpenSshKeys.invalid(source, "unsupported key type (age supports ssh-ed25519 and ssh-rsa)");
    }
}
