package dev.nodeagent.manifests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads every {@code *.yaml}, {@code *.yml} and {@code *.json} file under the given directories (recursively, in
 * path order), splits each at {@code ---} lines and parses every document on its own (numbered from 1, sections with only
 * comments not counted), so one malformed document is
 * reported (file, document number, line) while the others still load. {@code ${NAME}} is replaced by the variable's
 * value before parsing (e.g. {@code ${CALICO_MTU}}); an unknown name is a problem of that document.
 */
public final class ManifestLoader {

    private static final Pattern SEPARATOR = Pattern.compile("^---(\\s.*)?$");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /** The documents that loaded and the problems of those that did not. */
    public record Result(List<Manifest> manifests, List<ManifestProblem> problems) {
    }

    private ManifestLoader() {
    }

    /**
     * @param dirs      directories as this process sees them
     * @param names     how to name each directory in messages (same order as {@code dirs})
     * @param variables substitutions for {@code ${NAME}}
     */
    public static Result load(List<Path> dirs, List<String> names, Map<String, String> variables) {
        List<Manifest> manifests = new ArrayList<>();
        List<ManifestProblem> problems = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            Path dir = dirs.get(i);
            String shown = names.get(i);
            if (!Files.isDirectory(dir)) {
                problems.add(new ManifestProblem(shown, 0, "not a directory"));
                continue;
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(dir)) {
                files = walk.filter(Files::isRegularFile).filter(ManifestLoader::isManifest)
                        .sorted(Comparator.comparing(p -> dir.relativize(p).toString())).toList();
            } catch (IOException e) {
                problems.add(new ManifestProblem(shown, 0, "cannot list: " + e.getMessage()));
                continue;
            }
            for (Path f : files) {
                String name = shown.endsWith("/") ? shown + dir.relativize(f) : shown + "/" + dir.relativize(f);
                try {
                    parseFile(name, Files.readString(f, StandardCharsets.UTF_8), variables, manifests, problems);
                } catch (IOException e) {
                    problems.add(new ManifestProblem(name, 0, "cannot read: " + e.getMessage()));
                }
            }
        }
        return new Result(List.copyOf(manifests), List.copyOf(problems));
    }

    /** Parses one file's text; public for tests and for callers that read from elsewhere. */
    public static void parseFile(String file, String text, Map<String, String> variables, List<Manifest> out,
                                 List<ManifestProblem> problems) {
        String[] lines = text.split("\n", -1);
        StringBuilder chunk = new StringBuilder();
        int document = 1;
        int startLine = 1;
        for (int i = 0; i <= lines.length; i++) {
            boolean end = i == lines.length;
            if (end || SEPARATOR.matcher(lines[i]).matches()) {
                if (hasContent(chunk.toString())) {
                    parseDocument(file, document, startLine, chunk.toString(), variables, out, problems);
                    document++;
                } // an empty document (e.g. a leading "---") is not counted, like kubectl
                chunk.setLength(0);
                startLine = i + 2;
            } else {
                chunk.append(lines[i]).append('\n');
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void parseDocument(String file, int document, int startLine, String text,
                                      Map<String, String> variables, List<Manifest> out,
                                      List<ManifestProblem> problems) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder sb = new StringBuilder();
        TreeSet<String> unknown = new TreeSet<>();
        while (m.find()) {
            String value = variables.get(m.group(1));
            if (value == null) {
                unknown.add(m.group(1));
                value = m.group();
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        if (!unknown.isEmpty()) {
            problems.add(new ManifestProblem(file, document, "unknown variable(s) " + String.join(", ", unknown)
                    + " (known: " + String.join(", ", new TreeSet<>(variables.keySet())) + ")"));
            return;
        }
        Object parsed;
        try {
            parsed = new Load(LoadSettings.builder().setLabel(file).build()).loadFromString(sb.toString());
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(mark -> mark.getLine() + startLine).orElse(startLine);
            problems.add(new ManifestProblem(file, document, "line " + line + ": not valid YAML: "
                    + e.getProblem()));
            return;
        } catch (YamlEngineException e) {
            problems.add(new ManifestProblem(file, document, "not valid YAML: " + e.getMessage()));
            return;
        }
        if (parsed == null) {
            return; // only comments
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            problems.add(new ManifestProblem(file, document, "must be a mapping with apiVersion, kind and metadata"));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        map.forEach((k, v) -> body.put(String.valueOf(k), v));
        List<String> missing = new ArrayList<>();
        for (String key : List.of("apiVersion", "kind")) {
            if (!(body.get(key) instanceof String s) || s.isBlank()) {
                missing.add(key);
            }
        }
        if (!(body.get("metadata") instanceof Map<?, ?> meta) || !(meta.get("name") instanceof String n)
                || n.isBlank()) {
            missing.add("metadata.name");
        }
        if (!missing.isEmpty()) {
            problems.add(new ManifestProblem(file, document, "missing " + String.join(", ", missing)));
            return;
        }
        out.add(new Manifest(file, document, body));
    }

    /** A section of only blank and comment lines is not a document (not counted, not reported). */
    private static boolean hasContent(String chunk) {
        return chunk.lines().map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("#"));
    }

    private static boolean isManifest(Path p) {
        String n = p.getFileName().toString();
        return !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"));
    }
}
