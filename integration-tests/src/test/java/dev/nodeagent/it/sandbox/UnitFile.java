package dev.nodeagent.it.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code [Service]} section of a unit file and its drop-ins, read the way systemd reads them (as far as the
 * sandbox needs): comments ({@code #}, {@code ;}), backslash continuations, later files adding to list settings,
 * and an empty assignment ({@code ExecStart=}) clearing what came before. Values keep their quotes; {@link #words}
 * splits them.
 */
final class UnitFile {

    private final Map<String, List<String>> service;

    private UnitFile(Map<String, List<String>> service) {
        this.service = service;
    }

    /** The unit, then each drop-in in order. */
    static UnitFile read(Path unit, Path... dropIns) throws IOException {
        Map<String, List<String>> service = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>(List.of(unit));
        files.addAll(List.of(dropIns));
        for (Path file : files) {
            parse(file, Files.readString(file), service);
        }
        return new UnitFile(service);
    }

    private static void parse(Path file, String text, Map<String, List<String>> service) {
        String section = "";
        StringBuilder pending = new StringBuilder();
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (pending.isEmpty() && (line.isEmpty() || line.startsWith("#") || line.startsWith(";"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            line = pending.append(line).toString();
            pending.setLength(0);
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": not a key=value line: " + line);
            }
            if (!section.equals("Service")) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            List<String> values = service.computeIfAbsent(key, k -> new ArrayList<>());
            if (value.isEmpty()) {
                values.clear(); // systemd: an empty assignment resets a list setting
            } else {
                values.add(value);
            }
        }
    }

    /** Every assignment of {@code key}, in order (after resets). */
    List<String> all(String key) {
        return List.copyOf(service.getOrDefault(key, List.of()));
    }

    /** The effective value of a single-valued setting (the last assignment), or {@code fallback}. */
    String last(String key, String fallback) {
        List<String> v = service.getOrDefault(key, List.of());
        return v.isEmpty() ? fallback : v.getLast();
    }

    /** Every word of every assignment of a space-separated list setting (ReadWritePaths=, CapabilityBoundingSet=). */
    List<String> words(String key) {
        List<String> out = new ArrayList<>();
        for (String value : all(key)) {
            out.addAll(split(value));
        }
        return out;
    }

    /** Splits on white space, honouring double and single quotes (which are removed), as systemd does. */
    static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated quote in: " + value);
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }
}
