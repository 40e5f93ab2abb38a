package dev.nodeagent.api.json;

import dev.nodeagent.api.control.ControlRequest;
import dev.nodeagent.api.control.ControlResponse;
import dev.nodeagent.api.control.DaemonVersion;
import dev.nodeagent.api.control.ReconcilerResult;
import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.Health;
import dev.nodeagent.api.status.ReconcilerStatus;
import dev.nodeagent.api.status.Severity;
import dev.nodeagent.api.status.State;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The API records read back from plain trees ({@link PlainJson#parse}), as databind reads them through
 * {@link ApiJson}: unknown properties are ignored (the other side may be newer), a missing or {@code null} property
 * takes the record's default, instants are ISO-8601 strings, enums their wire words. What databind would reject
 * is rejected with an {@link IllegalArgumentException} that names the record and the property.
 */
public final class ApiTreeReader {

    private ApiTreeReader() {
    }

    /** {@code null} for a tree that is JSON {@code null}. */
    public static ControlRequest request(Object tree) {
        if (tree == null) {
            return null;
        }
        Fields f = new Fields("request", tree);
        return new ControlRequest((int) f.whole("v", Integer.MIN_VALUE, Integer.MAX_VALUE), f.string("op"),
                f.strings("names"), f.bool("await"), f.whole("timeoutMillis", Long.MIN_VALUE, Long.MAX_VALUE));
    }

    /** {@code null} for a tree that is JSON {@code null}. */
    public static ControlResponse response(Object tree) {
        if (tree == null) {
            return null;
        }
        Fields f = new Fields("response", tree);
        return new ControlResponse((int) f.whole("v", Integer.MIN_VALUE, Integer.MAX_VALUE), f.bool("ok"),
                f.string("error"), f.string("message"), f.strings("validNames"), f.object("status", ApiTreeReader::status),
                f.list("results", ApiTreeReader::result), f.object("version", ApiTreeReader::version));
    }

    static AgentStatus status(Object tree) {
        Fields f = new Fields("status", tree);
        return new AgentStatus(f.required(f.string("node"), "node"), f.string("role"), f.string("version"),
                f.instant("startedAt"), f.required(f.word("health", Health.values(), Health::name), "health"),
                f.list("reconcilers", ApiTreeReader::reconciler));
    }

    static ReconcilerStatus reconciler(Object tree) {
        Fields f = new Fields("reconciler status", tree);
        return new ReconcilerStatus(f.required(f.string("name"), "name"),
                f.required(f.word("state", State.values(), State::wire), "state"), f.string("reason"), f.string("message"),
                f.instant("lastRunAt"), f.instant("lastSuccessAt"), f.instant("lastTransitionAt"),
                (int) f.whole("consecutiveFailures", Integer.MIN_VALUE, Integer.MAX_VALUE), f.decimal("durationSeconds"),
                f.list("checks", ApiTreeReader::check), f.details("details"));
    }

    static Check check(Object tree) {
        Fields f = new Fields("check", tree);
        return new Check(f.required(f.string("name"), "name"),
                f.required(f.word("severity", Severity.values(), Severity::wire), "severity"), f.bool("ok"), f.string("message"));
    }

    static ReconcilerResult result(Object tree) {
        Fields f = new Fields("reconciler result", tree);
        return new ReconcilerResult(f.string("name"), f.string("state"), f.string("reason"), f.string("message"),
                f.bool("changed"), f.instant("lastRunAt"), f.list("checks", ApiTreeReader::check));
    }

    static DaemonVersion version(Object tree) {
        Fields f = new Fields("daemon version", tree);
        return new DaemonVersion(f.string("version"), f.string("java"),
                (int) f.whole("protocol", Integer.MIN_VALUE, Integer.MAX_VALUE),
                f.whole("pid", Long.MIN_VALUE, Long.MAX_VALUE), f.string("node"));
    }

    /** The properties of one JSON object, read as one record's; every problem names the record and the property. */
    private static final class Fields {
        private final String record;
        private final Map<?, ?> m;

        Fields(String record, Object tree) {
            this.record = record;
            if (!(tree instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(record + ": expected an object, not " + kind(tree));
            }
            this.m = map;
        }

        private IllegalArgumentException wrong(String key, String want, Object v) {
            return wrongFound(key, want, kind(v));
        }

        private IllegalArgumentException wrongFound(String key, String want, String found) {
            return new IllegalArgumentException(record + ": \"" + key + "\" must be " + want + ", not " + found);
        }

        <T> T required(T value, String key) {
            if (value == null) {
                throw new IllegalArgumentException(record + ": \"" + key + "\" is missing");
            }
            return value;
        }

        String string(String key) {
            Object v = m.get(key);
            if (v != null && !(v instanceof String)) {
                throw wrong(key, "a string", v);
            }
            return (String) v;
        }

        boolean bool(String key) {
            Object v = m.get(key);
            if (v != null && !(v instanceof Boolean)) {
                throw wrong(key, "true or false", v);
            }
            return Boolean.TRUE.equals(v);
        }

        long whole(String key, long min, long max) {
            Object v = m.get(key);
            if (v == null) {
                return 0;
            }
            if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= min && ((Number) v).longValue() <= max) {
                return ((Number) v).longValue();
            }
            throw wrong(key, "a whole number" + (max == Integer.MAX_VALUE ? " (int)" : ""), v);
        }

        /** A number; databind writes NaN and the infinities as strings, so those strings are read back too. */
        double decimal(String key) {
            Object v = m.get(key);
            if (v == null) {
                return 0.0;
            }
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            if (v instanceof String s && (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity"))) {
                return Double.parseDouble(s);
            }
            throw wrong(key, "a number", v);
        }

        /** ISO-8601 ({@code 2026-11-24T07:00:00Z}; an offset is accepted too). */
        Instant instant(String key) {
            Object v = m.get(key);
            if (v == null) {
                return null;
            }
            if (v instanceof String s) {
                try {
                    return Instant.parse(s);
                } catch (DateTimeParseException e) {
                    try {
                        return OffsetDateTime.parse(s).toInstant();
                    } catch (DateTimeParseException e2) {
                        throw wrong(key, "an ISO-8601 instant", v);
                    }
                }
            }
            throw wrong(key, "an ISO-8601 instant string", v);
        }

        <E extends Enum<E>> E word(String key, E[] values, Function<E, String> wire) {
            Object v = m.get(key);
            if (v == null) {
                return null;
            }
            List<String> words = new ArrayList<>();
            for (E e : values) {
                if (wire.apply(e).equals(v)) {
                    return e;
                }
                words.add(wire.apply(e));
            }
            throw wrong(key, "one of " + String.join(", ", words), v);
        }

        List<String> strings(String key) {
            Object v = m.get(key);
            if (v == null) {
                return null;
            }
            if (!(v instanceof List<?> l)) {
                throw wrong(key, "a list of strings", v);
            }
            List<String> out = new ArrayList<>(l.size());
            for (Object s : l) {
                if (!(s instanceof String str)) {
                    throw wrongFound(key, "a list of strings", "one holding " + kind(s));
                }
                out.add(str);
            }
            return out;
        }

        <T> T object(String key, Function<Object, T> read) {
            Object v = m.get(key);
            return v == null ? null : read.apply(v);
        }

        <T> List<T> list(String key, Function<Object, T> read) {
            Object v = m.get(key);
            if (v == null) {
                return null;
            }
            if (!(v instanceof List<?> l)) {
                throw wrong(key, "a list", v);
            }
            List<T> out = new ArrayList<>(l.size());
            l.forEach(item -> out.add(read.apply(item)));
            return out;
        }

        /** Reconciler-specific facts: any JSON object, kept as parsed (no {@code null} values: the record refuses them). */
        Map<String, Object> details(String key) {
            Object v = m.get(key);
            if (v == null) {
                return null;
            }
            if (!(v instanceof Map<?, ?> d) || d.containsValue(null)) {
                throw wrong(key, "an object without null values", v);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            d.forEach((k, x) -> out.put((String) k, x));
            return out;
        }
    }

    private static String kind(Object v) {
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        if (v instanceof List<?>) {
            return "an array";
        }
        return v instanceof String ? "the string " + PlainJson.quote(v) : PlainJson.quote(v);
    }
}
