package dev.nodeagent.manifests;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Does the live object already hold every field the manifest sets? Fields the server adds (defaults, status,
 * managedFields, other managers' fields) are ignored; lists must match element by element (an element may have
 * extra server-set keys). This is what makes a steady-state pass send no writes at all, on a real API server and on
 * fabric8's mock alike: only objects that differ are applied. A field deleted from a manifest is therefore not
 * removed until the object changes for another reason or an operator forces a resync (which always applies).
 */
public final class LiveDiff {

    private LiveDiff() {
    }

    /** Human-readable differences ({@code spec.x: want 1, have 2}); empty when live holds the manifest. */
    public static List<String> differences(Map<String, Object> desired, Map<String, Object> live) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : desired.entrySet()) {
            if (e.getKey().equals("status")) {
                continue; // the manifest's status is never applied
            }
            compare(e.getKey(), e.getValue(), live.get(e.getKey()), out);
        }
        return out;
    }

    private static void compare(String path, Object want, Object have, List<String> out) {
        if (want instanceof Map<?, ?> wm) {
            if (!(have instanceof Map<?, ?> hm)) {
                out.add(path + ": missing");
                return;
            }
            wm.forEach((k, v) -> compare(path + "." + k, v, hm.get(k), out));
        } else if (want instanceof List<?> wl) {
            if (!(have instanceof List<?> hl) || hl.size() != wl.size()) {
                out.add(path + ": want " + wl.size() + " item(s), have "
                        + (have instanceof List<?> l ? l.size() : "none"));
                return;
            }
            for (int i = 0; i < wl.size(); i++) {
                compare(path + "[" + i + "]", wl.get(i), hl.get(i), out);
            }
        } else if (!sameScalar(want, have)) {
            out.add(path + ": want " + show(want) + ", have " + show(have));
        }
    }

    private static boolean sameScalar(Object want, Object have) {
        if (want instanceof Number a && have instanceof Number b) {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
        }
        if (want == null || have == null) {
            return want == have;
        }
        // int-or-string fields ("8080" vs 8080) and booleans compare by their text
        return Objects.equals(String.valueOf(want), String.valueOf(have));
    }

    private static String show(Object v) {
        if (v == null) {
            return "none";
        }
        String s = String.valueOf(v);
        return v instanceof String ? "\"" + (s.length() > 60 ? s.substring(0, 57) + "..." : s) + "\"" : s;
    }
}
