package dev.nodeagent.age;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A parsed age header. {@code macInput} is the header exactly as read, from {@code age-encryption.org/v1} up to
 * and including {@code ---} (what the MAC covers); {@code mac} is the 32-byte MAC after it.
 */
record Header(List<WireStanza> stanzas, byte[] macInput, byte[] mac) {

    static final String VERSION_LINE = "age-encryption.org/v1";

    /** Encodes stanzas into the MAC input: version line, stanzas, {@code ---} (no space, no MAC). */
    static byte[] encodeMacInput(List<WireStanza> stanzas) {
        StringBuilder sb = new StringBuilder(VERSION_LINE).append('\n');
        for (WireStanza s : stanzas) {
            sb.append("-> ").append(s.type());
            for (String a : s.args()) {
                sb.append(' ').append(a);
            }
            sb.append('\n');
            String body = Base64s.raw(s.body());
            int i = 0;
            // Lines of 64 columns; the last line is always short, so an exact multiple ends in an empty line.
            while (body.length() - i >= 64) {
                sb.append(body, i, i + 64).append('\n');
                i += 64;
            }
            sb.append(body, i, body.length()).append('\n');
        }
        sb.append("---");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The full header bytes: MAC input, space, base64 MAC, LF. */
    static byte[] encode(byte[] macInput, byte[] mac) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(macInput.length + 48);
        out.writeBytes(macInput);
        out.writeBytes((" " + Base64s.raw(mac) + "\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
