package dev.nodeagent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERNumericString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERT61String;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.DERUniversalString;
import org.bouncycastle.asn1.DERVisibleString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;

/** {@link DerNames} (no Bouncy Castle) must read names exactly as {@link BcNames} (Bouncy Castle) does. */
class X509NamesTest {

    static final byte[] CN = contents(BCStyle.CN);
    static final byte[] O = contents(BCStyle.O);

    static byte[] contents(ASN1ObjectIdentifier oid) {
        byte[] enc;
        try {
            enc = oid.getEncoded("DER");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] out = new byte[enc.length - 2];
        System.arraycopy(enc, 2, out, 0, out.length);
        return out;
    }

    static byte[] der(List<RDN> rdns) throws Exception {
        return new X500Name(rdns.toArray(RDN[]::new)).getEncoded("DER");
    }

    static RDN rdn(ASN1ObjectIdentifier type, ASN1Encodable value) {
        return new RDN(type, value);
    }

    static void assertSame(byte[] der, boolean fastExpected) {
        for (ASN1ObjectIdentifier type : List.of(BCStyle.CN, BCStyle.O, BCStyle.OU)) {
            byte[] oid = contents(type);
            List<String> bc = BcNames.values(der, oid);
            List<String> fast = DerNames.values(der, oid);
            if (fastExpected) {
                assertNotNull(fast, "fast path refused a plain name");
                assertEquals(bc, fast);
            } else if (fast != null) {
                assertEquals(bc, fast);
            }
            assertEquals(bc, X509Names.attribute(new X500Principal(der), oid));
        }
    }

    static final List<String> ODD = List.of("", " ", "  ", "a", "system:node:n1", "system:nodes", "#", "#x", "##",
            "\\#", " lead", "trail ", "  both  ", "a b", "a,b", "a+b", "a=b", "a;b", "a<b>", "\"q\"", "back\\slash",
            "ünïcödé", "emoji \uD83D\uDE00", "tab\tnew\nline", "# spaced ", " #", "x ".repeat(100));

    @Test
    void utf8AndPrintableNamesReadWithoutBouncyCastleGiveBouncyCastlesText() throws Exception {
        List<Function<String, ASN1Encodable>> types = List.of(DERUTF8String::new, DERT61String::new,
                s -> new DERIA5String(s), s -> new DERVisibleString(s));
        for (String s : ODD) {
            for (Function<String, ASN1Encodable> t : types) {
                boolean latin1 = s.chars().allMatch(c -> c < 256);
                if (!latin1 && !(t.apply("x") instanceof DERUTF8String)) {
                    continue;
                }
                assertSame(der(List.of(rdn(BCStyle.CN, t.apply(s)), rdn(BCStyle.O, t.apply(s + "o")),
                        rdn(BCStyle.O, new DERUTF8String("second")))), true);
            }
        }
        assertSame(der(List.of(rdn(BCStyle.CN, new DERPrintableString("Printable Name")),
                rdn(BCStyle.CN, new DERNumericString("0123 456")))), true);
    }

    @Test
    void multiValuedRdnsKeepTheirOrder() throws Exception {
        RDN multi = new RDN(new AttributeTypeAndValue[] {
                new AttributeTypeAndValue(BCStyle.O, new DERUTF8String("b-org")),
                new AttributeTypeAndValue(BCStyle.CN, new DERUTF8String("cn1")),
                new AttributeTypeAndValue(BCStyle.O, new DERUTF8String("a-org"))});
        byte[] der = der(List.of(rdn(BCStyle.O, new DERUTF8String("first")), multi, rdn(BCStyle.CN, new DERUTF8String("cn2"))));
        assertSame(der, true);
        // DER sorts a SET: a-org is encoded before b-org
        assertEquals(List.of("first", "a-org", "b-org"), X509Names.attribute(new X500Principal(der), O));
    }

    @Test
    void otherValueTypesAreLeftToBouncyCastle() throws Exception {
        byte[] bmp = der(List.of(rdn(BCStyle.CN, new DERBMPString("bmp name"))));
        assertNull(DerNames.values(bmp, CN));
        assertSame(bmp, false);
        byte[] universal = der(List.of(rdn(BCStyle.CN, new DERUniversalString(new byte[] {0, 0, 0, 0x41}))));
        assertNull(DerNames.values(universal, CN));
        assertSame(universal, false);
        byte[] integer = der(List.of(rdn(BCStyle.CN, new ASN1Integer(42))));
        assertNull(DerNames.values(integer, CN));
        assertEquals(List.of("#02012a"), X509Names.attribute(new X500Principal(integer), CN));
        // an attribute that is not asked for may be of any type
        assertNotNull(DerNames.values(bmp, O));
    }

    @Test
    void randomNamesAgree() throws Exception {
        Random r = new Random(7);
        String alphabet = " #+,;<=>\"\\abcXYZ019:-._ü";
        for (int n = 0; n < 500; n++) {
            List<RDN> rdns = new ArrayList<>();
            for (int k = r.nextInt(5); k >= 0; k--) {
                StringBuilder s = new StringBuilder();
                for (int len = r.nextInt(8); len > 0; len--) {
                    s.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
                ASN1ObjectIdentifier type = List.of(BCStyle.CN, BCStyle.O, BCStyle.OU, BCStyle.C).get(r.nextInt(4));
                rdns.add(rdn(type, r.nextBoolean() ? new DERUTF8String(s.toString()) : new DERT61String(s.toString())));
            }
            assertSame(der(rdns), true);
        }
    }

    @Test
    void escapingIsBouncyCastles() {
        assertEquals("\\#x", DerNames.escape("#x"));
        assertEquals("\\ a\\,b\\ ", DerNames.escape(" a,b "));
        assertEquals("\\#\\ ", DerNames.escape("# "));
    }
}
