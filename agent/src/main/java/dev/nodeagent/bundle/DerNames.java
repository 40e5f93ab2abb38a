package dev.nodeagent.bundle;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * X.500 attribute values read straight from a Name's DER ({@code SEQUENCE OF SET OF SEQUENCE {type, value}}), for
 * the string types certificates use (UTF8String, PrintableString, IA5String, NumericString, VisibleString,
 * TeletexString), formatted exactly like Bouncy Castle's {@code IETFUtils.valueToString}. Returns null, so the
 * caller asks Bouncy Castle, for anything else: other value types, long-form lengths past 4 bytes, invalid UTF-8,
 * trailing bytes.
 */
final class DerNames {

    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;
    private static final int OID = 0x06;

    private DerNames() {
    }

    /** @return the values of attribute type {@code oid} (DER contents octets) in order, or null: ask Bouncy Castle */
    static List<String> values(byte[] der, byte[] oid) {
        try {
            List<String> out = new ArrayList<>();
            DerReader name = new DerReader(der, 0, der.length);
            DerReader rdns = name.enter(SEQUENCE);
            if (rdns == null || !name.atEnd()) {
                return null;
            }
            while (!rdns.atEnd()) {
                DerReader rdn = rdns.enter(SET);
                if (rdn == null) {
                    return null;
                }
                while (!rdn.atEnd()) {
                    DerReader ava = rdn.enter(SEQUENCE);
                    if (ava == null) {
                        return null;
                    }
                    DerReader type = ava.enter(OID);
                    if (type == null || ava.atEnd()) {
                        return null;
                    }
                    int tag = ava.der[ava.pos] & 0xff;
                    DerReader value = ava.enter(tag);
                    if (value == null || !ava.atEnd()) {
                        return null;
                    }
                    if (Arrays.equals(type.der, type.pos, type.end, oid, 0, oid.length)) {
                        String s = string(tag, value);
                        if (s == null) {
                            return null;
                        }
                        out.add(escape(s));
                    }
                }
            }
            return out;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The text of a string value as Bouncy Castle's {@code ASN1String.getString()}; null for other types. */
    private static String string(int tag, DerReader v) {
        return switch (tag) {
            case 0x0c -> { // UTF8String
                try {
                    yield StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(v.der, v.pos, v.end - v.pos)).toString();
                } catch (CharacterCodingException e) {
                    yield null;
                }
            }
            // PrintableString, IA5String, NumericString, VisibleString, TeletexString: one char per byte
            case 0x13, 0x16, 0x12, 0x1a, 0x14 -> new String(v.der, v.pos, v.end - v.pos, StandardCharsets.ISO_8859_1);
            default -> null;
        };
    }

    /** Bouncy Castle's {@code IETFUtils.valueToString} escaping of a string value (RFC 4514 style). */
    static String escape(String v) {
        StringBuilder buf = new StringBuilder();
        if (!v.isEmpty() && v.charAt(0) == '#') {
            buf.append('\\');
        }
        buf.append(v);
        int end = buf.length();
        boolean escapedHash = end >= 2 && buf.charAt(0) == '\\' && buf.charAt(1) == '#';
        int firstNonSpace = 0;
        while (firstNonSpace < end && buf.charAt(firstNonSpace) == ' ') {
            firstNonSpace++;
        }
        int lastNonSpace = end - 1;
        while (lastNonSpace >= 0 && buf.charAt(lastNonSpace) == ' ') {
            lastNonSpace--;
        }
        StringBuilder out = new StringBuilder(end + 16);
        int i = 0;
        if (escapedHash) {
            out.append("\\#");
            i = 2;
        }
        for (; i < end; i++) {
            char c = buf.charAt(i);
            boolean esc = switch (c) {
                case ' ' -> (!escapedHash && i < firstNonSpace) || i > lastNonSpace;
                case '"', '+', ',', ';', '<', '=', '>', '\\' -> true;
                default -> false;
            };
            if (esc) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
