package dev.nodeagent.ctl;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human durations: {@code 3s ago} in tables, and parsing {@code --timeout 90s|2m|500ms|1h30m}. */
final class Ages {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Ages() {
    }

    /** {@code 4s}, {@code 3m12s}, {@code 2h5m}, {@code 3d4h}; {@code -} for null. */
    static String since(Instant then, Instant now) {
        if (then == null) {
            return "-";
        }
        return compact(Duration.between(then, now));
    }

    static String compact(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        }
        if (s < 86400) {
            return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
        }
        return s / 86400 + "d" + (s % 86400 / 3600 == 0 ? "" : s % 86400 / 3600 + "h");
    }

    /** Parses {@code 30s}, {@code 2m}, {@code 1h30m}, {@code 500ms}; a bare number is seconds. */
    static Duration parse(String text) {
        String t = text.trim();
        if (t.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long v = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(v);
                case "s" -> Duration.ofSeconds(v);
                case "m" -> Duration.ofMinutes(v);
                default -> Duration.ofHours(v);
            });
            end = m.end();
        }
        if (end != t.length() || end == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 30s, 2m, 1h30m, 500ms)");
        }
        return total;
    }
}
