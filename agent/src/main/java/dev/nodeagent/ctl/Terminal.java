package dev.nodeagent.ctl;

import java.io.Console;
import java.util.Map;

/**
 * Whether stdout is a terminal and whether to colour it: only on a terminal, never with {@code NO_COLOR} set
 * (https://no-color.org) or {@code TERM=dumb}.
 */
public record Terminal(boolean tty, boolean colour) {

    public static Terminal detect(Map<String, String> env) {
        boolean tty = isTerminal();
        String noColor = env.get("NO_COLOR");
        boolean colour = tty && (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
        return new Terminal(tty, colour);
    }

    /**
     * JDK 22+ returns a Console even when output is redirected and answers the question with
     * {@code Console.isTerminal()}; on 21 a non-null console already means a terminal. Reflection because we
     * compile for 21.
     */
    private static boolean isTerminal() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    public String green(String s) {
        return paint("32", s);
    }

    public String yellow(String s) {
        return paint("33", s);
    }

    public String red(String s) {
        return paint("31", s);
    }

    public String dim(String s) {
        return paint("2", s);
    }

    public String bold(String s) {
        return paint("1", s);
    }

    /** Colours a state word: ok green, waiting yellow, failed/fail/timeout red, pending dim. */
    public String state(String word) {
        return switch (word.toLowerCase(java.util.Locale.ROOT)) {
            case "ok", "ready" -> green(word);
            case "waiting", "warn", "starting", "requested" -> yellow(word);
            case "failed", "fail", "timeout", "degraded" -> red(word);
            default -> dim(word);
        };
    }

    private String paint(String code, String s) {
        return colour ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
