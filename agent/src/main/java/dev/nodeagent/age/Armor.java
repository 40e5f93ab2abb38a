package dev.nodeagent.age;

import dev.nodeagent.age.AgeException.Kind;
import java.nio.charset.StandardCharsets;

/**
 * age's ASCII armor: strict PEM with the label {@code AGE ENCRYPTED FILE}, 64-column canonical padded base64, LF
 * or CRLF, no empty lines, no headers, only whitespace (≤ 1 KiB, as Go) before BEGIN and after END.
 */
final class Armor {

    static final String BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
    static final String END = "-----END AGE ENCRYPTED FILE-----";
    private static final int MAX_WHITESPACE = 1024;

    private Armor() {
    }

    /**
     * Whether to treat the file as armored: after optional whitespace it starts with a PEM-style {@code -----}
     * line, or the armor's BEGIN line appears near the start (garbage before BEGIN is then an armor error, not a
     * confusing "not an age file"). A binary age file starts with {@code age-encryption.org/}.
     */
    static boolean isArmored(byte[] file) {
        int i = 0;
        while (i < file.length && i <= MAX_WHITESPACE && isSpace(file[i])) {
            i++;
        }
        if (file.length - i >= 5 && new String(file, i, 5, StandardCharsets.US_ASCII).equals("-----")) {
            return true;
        }
        if (file.length >= 4 && new String(file, 0, 4, StandardCharsets.US_ASCII).equals("age-")) {
            return false;
        }
        int window = Math.min(file.length, MAX_WHITESPACE + BEGIN.length());
        return new String(file, 0, window, StandardCharsets.ISO_8859_1).contains(BEGIN);
    }

    static byte[] decode(byte[] file) throws AgeException {
        int start = 0;
        while (start < file.length && isSpace(file[start])) {
            start++;
        }
        int end = file.length;
        while (end > start && isSpace(file[end - 1])) {
            end--;
        }
        if (start > MAX_WHITESPACE || file.length - end > MAX_WHITESPACE) {
            throw invalid("more than 1 KiB of whitespace around the armor");
        }
        String text = new String(file, start, end - start, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\n", -1);
        // CRLF is accepted: strip one CR per line, then any other CR is invalid.
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].endsWith("\r")) {
                lines[i] = lines[i].substring(0, lines[i].length() - 1);
            }
        }
        if (!lines[0].equals(BEGIN)) {
            throw invalid("the first line is not " + BEGIN);
        }
        if (lines.length < 2 || !lines[lines.length - 1].equals(END)) {
            throw invalid("no " + END + " line at the end");
        }
        StringBuilder b64 = new StringBuilder();
        for (int i = 1; i < lines.length - 1; i++) {
            String l = lines[i];
            boolean last = i == lines.length - 2;
            if (l.isEmpty() || l.length() > 64 || (!last && l.length() != 64)) {
                throw invalid("armor line " + (i + 1) + " is not 64 columns (only the last may be shorter, not empty)");
            }
            for (int j = 0; j < l.length(); j++) {
                char c = l.charAt(j);
                if (!(Base64s.isBase64Char(c) || (c == '=' && last))) {
                    throw invalid("armor line " + (i + 1) + " has a character outside base64");
                }
            }
            b64.append(l);
        }
        return Base64s.decodePadded(b64.toString())
                .orElseThrow(() -> invalid("armor body is not canonical padded base64"));
    }

    static byte[] encode(byte[] binary) {
        String b64 = Base64s.padded(binary);
        StringBuilder sb = new StringBuilder(b64.length() + b64.length() / 64 + 80);
        sb.append(BEGIN).append('\n');
        for (int i = 0; i < b64.length(); i += 64) {
            sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
        }
        sb.append(END).append('\n');
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static AgeException invalid(String message) {
        return new AgeException(Kind.ARMOR_INVALID, "invalid age armor: " + message);
    }
}
