package dev.nodeagent.agent.host;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What of a hook's output reaches the log: key material removed (a hook that cats a key, or a tool that echoes
 * one, must not put it in the journal) and then cut to a bounded number of lines and characters, so one chatty
 * hook cannot flood the journal. Pure.
 */
public final class HookOutput {

    /** At most this many lines of a hook's output are logged (the last ones: errors come at the end). */
    public static final int MAX_LINES = 20;
    /** At most this many characters per logged line. */
    public static final int MAX_LINE_CHARS = 300;
    /** At most this many characters of one line in a status message. */
    public static final int MAX_MESSAGE_CHARS = 200;

    static final String REDACTED = "[private key redacted]";

    // A PEM private key block (PKCS#1, PKCS#8, EC, OpenSSH, encrypted), also one cut off before its END line.
    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*?(-----END \\1PRIVATE KEY-----|\\z)", Pattern.DOTALL);
    // age identities (X25519 and plugin ones).
    private static final Pattern AGE_KEY = Pattern.compile("AGE-(PLUGIN-[A-Z0-9]+-)?SECRET-KEY-1[0-9A-Z]+");

    private HookOutput() {
    }

    /** The output with every private key replaced by {@value #REDACTED}. */
    public static String redact(String output) {
        String s = PEM_KEY.matcher(output).replaceAll(REDACTED);
        return AGE_KEY.matcher(s).replaceAll(REDACTED);
    }

    /**
     * The redacted, non-blank lines to log: the last {@link #MAX_LINES}, each cut to {@link #MAX_LINE_CHARS},
     * preceded by a line saying how many were left out.
     */
    public static List<String> forLog(String output) {
        List<String> lines = redact(output).lines().filter(l -> !l.isBlank()).toList();
        List<String> out = new ArrayList<>();
        if (lines.size() > MAX_LINES) {
            out.add("… " + (lines.size() - MAX_LINES) + " earlier line(s) not logged");
            lines = lines.subList(lines.size() - MAX_LINES, lines.size());
        }
        for (String l : lines) {
            out.add(cut(l.stripTrailing(), MAX_LINE_CHARS));
        }
        return out;
    }

    /** The last non-blank line, redacted and cut to {@link #MAX_MESSAGE_CHARS}, or "" when there is none. */
    public static String lastLine(String output) {
        List<String> lines = redact(output).lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : cut(lines.getLast().strip(), MAX_MESSAGE_CHARS);
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) + "… (" + (s.length() - max) + " more chars)" : s;
    }
}
