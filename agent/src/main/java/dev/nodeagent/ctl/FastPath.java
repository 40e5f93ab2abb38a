package dev.nodeagent.ctl;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The common invocations without picocli: {@code --version}, {@code status}, {@code version}, {@code decrypt} and
 * {@code encrypt} with plain, well-formed options. picocli reads every command's annotations by reflection and
 * its Java 5 class files go through the old verifier and cannot be in the AOT cache: that was about half of a
 * short command's start-up. Anything this parser is not sure about (help, a typo, a missing or repeated option,
 * {@code -iFILE} clusters, {@code @argfiles}, {@code --}, an option-like value) returns {@link #NOT_HANDLED} and
 * picocli runs the command as before, so usage errors and help read exactly as they always did. The commands'
 * work is shared with the picocli classes ({@link AgeCli}, {@link DaemonViews}), and the output writers are built
 * the way picocli builds them.
 */
final class FastPath {

    static final int NOT_HANDLED = -1;

    private FastPath() {
    }

    /** Runs {@code args} on the real stdout/stderr; {@link #NOT_HANDLED} when picocli must. */
    static int run(String... args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] given, PrintStream stdout, PrintStream stderr) {
        String[] args = GlobalOptions.hoist(given); // main() has done it already; idempotent
        if (args.length == 0) {
            return NOT_HANDLED;
        }
        for (String a : args) {
            if (a.isEmpty() || a.startsWith("@") || a.equals("--")) {
                return NOT_HANDLED; // picocli: @argfiles, end of options, empty values
            }
        }
        try {
            return switch (args[0]) {
                case "--version", "-V" -> args.length == 1 ? version(writer(stdout, "sun.stdout.encoding")) : NOT_HANDLED;
                case "decrypt" -> decrypt(args, stderr);
                case "encrypt" -> encrypt(args, stderr);
                case "status", "version" -> daemon(args, stdout, stderr);
                default -> NOT_HANDLED;
            };
        } catch (InvalidPathException e) {
            return NOT_HANDLED; // picocli words the conversion error
        }
    }

    private static int version(PrintWriter out) {
        out.println("agentctl " + AgentCtl.version() + " (Java " + Runtime.version() + ")");
        out.flush();
        return AgentCtl.OK;
    }

    /** {@code decrypt (-i|--identity) ID... [-o|--output OUT] [INPUT]}. */
    private static int decrypt(String[] args, PrintStream stderr) {
        Options o = Options.parse(args, List.of("-i", "--identity", "-o", "--output"), List.of());
        if (o == null || o.all("-i", "--identity").isEmpty() || o.all("-o", "--output").size() > 1
                || o.positional.size() > 1) {
            return NOT_HANDLED;
        }
        List<Path> ids = new ArrayList<>();
        for (String v : o.all("-i", "--identity")) {
            ids.add(Path.of(v));
        }
        String out = o.one("-o", "--output");
        return AgeCli.decrypt(ids, out == null ? null : Path.of(out), o.input(),
                writer(stderr, "sun.stderr.encoding"));
    }

    /** {@code encrypt (-r|--recipient R | -R|--recipients-file F)... [-a|--armor] [-o|--output OUT] [INPUT]}. */
    private static int encrypt(String[] args, PrintStream stderr) {
        Options o = Options.parse(args, List.of("-r", "--recipient", "-R", "--recipients-file", "-o", "--output"),
                List.of("-a", "--armor"));
        if (o == null || o.all("-o", "--output").size() > 1 || o.positional.size() > 1
                || o.flags > 1 || o.all("-r", "--recipient").isEmpty() && o.all("-R", "--recipients-file").isEmpty()) {
            return NOT_HANDLED;
        }
        List<Path> files = new ArrayList<>();
        for (String v : o.all("-R", "--recipients-file")) {
            files.add(Path.of(v));
        }
        String out = o.one("-o", "--output");
        return AgeCli.encrypt(o.all("-r", "--recipient"), files, o.flags == 1, out == null ? null : Path.of(out),
                o.input(), writer(stderr, "sun.stderr.encoding"));
    }

    /** {@code status [-o|--output FORMAT] [--socket PATH]} and {@code version [--socket PATH]}. */
    private static int daemon(String[] args, PrintStream stdout, PrintStream stderr) {
        boolean status = args[0].equals("status");
        Options o = Options.parse(args, status ? List.of("-o", "--output", "--socket") : List.of("--socket"), List.of());
        if (o == null || !o.positional.isEmpty() || o.all("--socket").size() > 1 || o.all("-o", "--output").size() > 1) {
            return NOT_HANDLED;
        }
        StatusFormat format = null;
        String f = o.one("-o", "--output");
        if (f != null) {
            format = switch (f) {
                case "table" -> StatusFormat.table;
                case "wide" -> StatusFormat.wide;
                case "json" -> StatusFormat.json;
                case "yaml" -> StatusFormat.yaml;
                default -> null;
            };
            if (format == null) {
                return NOT_HANDLED; // picocli lists the valid values
            }
        }
        String socket = o.one("--socket");
        if (socket == null) {
            // picocli's default: ${env:NODE_AGENT_SOCKET:-DEFAULT}; an empty variable is left to picocli.
            socket = System.getenv("NODE_AGENT_SOCKET");
            if (socket == null) {
                socket = SocketOption.DEFAULT;
            } else if (socket.isEmpty()) {
                return NOT_HANDLED;
            }
        }
        DaemonCall call = new DaemonCall(new ControlClient(Path.of(socket)), writer(stdout, "sun.stdout.encoding"),
                writer(stderr, "sun.stderr.encoding"));
        StatusFormat fmt = format;
        int exit = call.run(c -> status ? DaemonViews.status(c, fmt) : DaemonViews.version(c));
        call.out.flush();
        call.err.flush();
        return exit;
    }

    /** Like picocli's default out/err: autoflush, buffered, in the {@code sun.stdout/stderr.encoding} charset. */
    static PrintWriter writer(OutputStream stream, String encodingProperty) {
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset(encodingProperty))), true);
    }

    private static Charset charset(String property) {
        String name = System.getProperty(property);
        if (name == null) {
            return Charset.defaultCharset();
        }
        try {
            return Charset.forName("cp65001".equalsIgnoreCase(name) ? "UTF-8" : name);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    /** Options each given as {@code NAME VALUE} or {@code --long=VALUE}, flags, and positionals, nothing else. */
    private static final class Options {
        final List<String[]> values = new ArrayList<>();
        final List<String> positional = new ArrayList<>();
        int flags;

        /** {@code null} when an argument is anything but a listed option, a listed flag, or a plain positional. */
        static Options parse(String[] args, List<String> valued, List<String> flagNames) {
            Options o = new Options();
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 2 && valued.contains(a.substring(0, eq))) {
                    String v = a.substring(eq + 1);
                    if (v.isEmpty() || v.startsWith("-")) {
                        return null;
                    }
                    o.values.add(new String[] {a.substring(0, eq), v});
                } else if (valued.contains(a)) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
                        return null; // a missing or option-like value: picocli decides
                    }
                    o.values.add(new String[] {a, args[++i]});
                } else if (flagNames.contains(a)) {
                    o.flags++;
                } else if (a.startsWith("-") && !a.equals("-")) {
                    return null;
                } else {
                    o.positional.add(a);
                }
            }
            return o;
        }

        List<String> all(String... names) {
            List<String> r = new ArrayList<>();
            for (String[] v : values) {
                for (String n : names) {
                    if (v[0].equals(n)) {
                        r.add(v[1]);
                    }
                }
            }
            return r;
        }

        String one(String... names) {
            List<String> r = all(names);
            return r.isEmpty() ? null : r.get(0);
        }

        Path input() {
            return positional.isEmpty() ? null : Path.of(positional.get(0));
        }
    }
}
