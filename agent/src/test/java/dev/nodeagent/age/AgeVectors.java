package dev.nodeagent.age;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** One test vector of the age testkit format (see age-vectors/README.md): "key: value" lines, a blank line, the file. */
record AgeVectors(String name, Path dir, Map<String, List<String>> fields, byte[] body) {

    static Path root() {
        try {
            return Path.of(AgeVectors.class.getResource("/age-vectors").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Map<Path, List<AgeVectors>> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /** Every vector in {@code dir} (read and inflated once per JVM). */
    static Stream<AgeVectors> all(Path dir) throws IOException {
        List<AgeVectors> cached = CACHE.get(dir);
        if (cached != null) {
            return cached.stream();
        }
        List<AgeVectors> list = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String n = p.getFileName().toString();
                if (Files.isRegularFile(p) && !n.startsWith("LICENSE") && !n.endsWith(".md")) {
                    list.add(read(p));
                }
            }
        }
        CACHE.put(dir, List.copyOf(list));
        return list.stream();
    }

    static AgeVectors read(Path p) throws IOException {
        byte[] all = Files.readAllBytes(p);
        int split = -1;
        for (int i = 0; i + 1 < all.length; i++) {
            if (all[i] == '\n' && all[i + 1] == '\n') {
                split = i;
                break;
            }
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (String line : new String(all, 0, split, StandardCharsets.US_ASCII).split("\n")) {
            int c = line.indexOf(": ");
            fields.computeIfAbsent(line.substring(0, c), k -> new ArrayList<>()).add(line.substring(c + 2));
        }
        byte[] body = java.util.Arrays.copyOfRange(all, split + 2, all.length);
        if (fields.containsKey("compressed")) {
            body = inflate(body);
        }
        return new AgeVectors(p.getFileName().toString(), p.getParent(), fields, body);
    }

    String expect() {
        return fields.get("expect").get(0);
    }

    List<String> get(String key) {
        return fields.getOrDefault(key, List.of());
    }

    private static byte[] inflate(byte[] z) {
        Inflater inf = new Inflater();
        inf.setInput(z);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        try {
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new IllegalStateException("truncated zlib data");
                }
                out.write(buf, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException(e);
        } finally {
            inf.end();
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return name;
    }
}
