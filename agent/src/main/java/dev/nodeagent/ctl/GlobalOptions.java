package dev.nodeagent.ctl;

import java.util.ArrayList;
import java.util.List;

/**
 * Global options typed before the command, the kubectl/talosctl way ({@code agentctl --socket S status}): picocli
 * only knows {@code --socket} on the subcommands that talk to the daemon ({@link SocketOption}), so the leading
 * ones are moved to just after the command name, before both {@link FastPath} and picocli see the arguments. Only
 * a well-formed {@code --socket VALUE} or {@code --socket=VALUE} is moved; anything else (a missing value, no
 * command after it) is left where it is, and picocli words the usage error as before.
 */
final class GlobalOptions {

    /** The options that may come before the command. {@code --help}/{@code --version} are the root's own. */
    static final List<String> NAMES = List.of("--socket");

    private GlobalOptions() {
    }

    /** {@code args} with leading global options moved after the first command word; {@code args} if there are none. */
    static String[] hoist(String... args) {
        List<String> globals = new ArrayList<>();
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            int eq = a.indexOf('=');
            if (eq > 2 && NAMES.contains(a.substring(0, eq))) {
                globals.add(a);
                i++;
            } else if (NAMES.contains(a) && i + 1 < args.length && !args[i + 1].startsWith("-")) {
                globals.add(a);
                globals.add(args[i + 1]);
                i += 2;
            } else {
                break;
            }
        }
        if (globals.isEmpty() || i >= args.length || args[i].startsWith("-") || args[i].startsWith("@")) {
            return args; // nothing to move, or no command after it: picocli's usage error
        }
        List<String> r = new ArrayList<>(args.length);
        r.add(args[i]);
        r.addAll(globals);
        r.addAll(List.of(args).subList(i + 1, args.length));
        return r.toArray(String[]::new);
    }
}
