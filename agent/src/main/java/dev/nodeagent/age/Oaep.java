package dev.nodeagent.age;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * RSAES-OAEP exactly as ssh-rsa stanzas use it: SHA-256, MGF1 with SHA-256 (NOT SunJCE's MGF1-SHA-1 default of
 * "OAEPWithSHA-256AndMGF1Padding"), label {@code age-encryption.org/v1/ssh-rsa}.
 */
final class Oaep {

    private static final OAEPParameterSpec PARAMS = new OAEPParameterSpec("SHA-256", "MGF1",
            MGF1ParameterSpec.SHA256, new PSource.PSpecified(SshKeys.RSA_LABEL.getBytes(StandardCharsets.US_ASCII)));

    private Oaep() {
    }

    static Cipher cipher(int mode, Key key) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(mode, key, PARAMS);
        return c;
    }
}
