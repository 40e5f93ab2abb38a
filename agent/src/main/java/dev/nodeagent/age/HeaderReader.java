package dev.nodeagent.age;

import dev.nodeagent.age.AgeException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict parser of the binary age header (C2SP age v1): LF-only lines, printable-ASCII arguments separated by
 * single spaces, 64-column canonical base64 bodies ending in a mandatory short line, {@code --- <43 chars>}.
 * Memory is bounded on hostile input: a header line may not exceed {@link #MAX_LINE} bytes and the whole header
 * {@link #MAX_HEADER} bytes (the spec has no limit; legitimate post-quantum arguments are ~1.5 KiB).
 */
final class HeaderReader {

    static final int MAX_LINE = 16 * 1024;
    static final int MAX_HEADER = 1024 * 1024;

    private final InputStream in;
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream(512);

    private HeaderReader(InputStream in) {
        this.in = in;
    }

    /** Reads the header and leaves {@code in} positioned right after the MAC line's LF. */
    static Header read(InputStream in) throws AgeException, IOException {
        return new HeaderReader(in).parse();
    }

    private Header parse() throws AgeException, IOException {
        String version = line();
        if (version == null) {
            throw invalid("the file is empty or does not start with an age header");
        }
        if (!version.equals(Header.VERSION_LINE)) {
            throw invalid(version.startsWith("age-encryption.org/")
                    ? "unsupported age format version (only age-encryption.org/v1)"
                    : "not an age file (no age-encryption.org/v1 header)");
        }
        List<WireStanza> stanzas = new ArrayList<>();
        String l = line();
        while (true) {
            if (l == null) {
                throw invalid("header ends before its MAC line");
            }
            if (l.startsWith("-> ")) {
                stanzas.add(stanza(l));
                l = line();
            } else if (l.startsWith("---")) {
                return macLine(l, stanzas);
            } else {
                throw invalid("header line " + (stanzas.size() + 2) + " is neither a stanza (->) nor the MAC (---)");
            }
        }
    }

    private Header macLine(String l, List<WireStanza> stanzas) throws AgeException {
        if (stanzas.isEmpty()) {
            throw invalid("header has no recipient stanza");
        }
        if (!l.startsWith("--- ") || l.length() != 4 + 43) {
            throw invalid("malformed header MAC line");
        }
        byte[] mac = Base64s.decodeRaw(l.substring(4)).orElseThrow(() -> invalid("header MAC is not canonical base64"));
        byte[] all = raw.toByteArray();
        // MAC input: everything up to and including "---", i.e. without " <mac>\n".
        byte[] macInput = java.util.Arrays.copyOf(all, all.length - l.length() - 1 + 3);
        return new Header(stanzas, macInput, mac);
    }

    private WireStanza stanza(String argLine) throws AgeException, IOException {
        String[] parts = argLine.substring(3).split(" ", -1);
        for (String p : parts) {
            if (p.isEmpty()) {
                throw invalid("stanza has an empty argument (double or trailing space)");
            }
        }
        List<String> args = List.of(parts).subList(1, parts.length);
        StringBuilder body = new StringBuilder();
        while (true) {
            String b = line();
            if (b == null) {
                throw invalid("stanza " + parts[0] + " has no final body line");
            }
            if (b.length() > 64) {
                throw invalid("stanza " + parts[0] + " body line longer than 64 columns");
            }
            body.append(b);
            if (b.length() < 64) {
                break;
            }
        }
        byte[] decoded = Base64s.decodeRaw(body.toString())
                .orElseThrow(() -> invalid("stanza " + parts[0] + " body is not canonical unpadded base64"));
        return new WireStanza(parts[0], args, decoded);
    }

    /** One LF-terminated line of printable ASCII (or space); {@code null} at EOF before any byte. */
    private String line() throws AgeException, IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (sb.isEmpty()) {
                    return null;
                }
                throw invalid("header ends in the middle of a line");
            }
            raw.write(c);
            if (raw.size() > MAX_HEADER) {
                throw invalid("header larger than " + MAX_HEADER + " bytes");
            }
            if (c == '\n') {
                return sb.toString();
            }
            if (c == '\r') {
                throw invalid("carriage return in header (CRLF line endings are not allowed)");
            }
            if (c < 0x20 || c > 0x7e) {
                throw invalid("non-printable or non-ASCII byte in header");
            }
            if (sb.length() >= MAX_LINE) {
                throw invalid("header line longer than " + MAX_LINE + " bytes");
            }
            sb.append((char) c);
        }
    }

    private static AgeException invalid(String message) {
        return new AgeException(Kind.HEADER_INVALID, "invalid age header: " + message);
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
