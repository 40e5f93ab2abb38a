package dev.nodeagent.api.json;

import dev.nodeagent.api.control.ControlRequest;
import dev.nodeagent.api.control.ControlResponse;
import dev.nodeagent.api.control.DaemonVersion;
import dev.nodeagent.api.control.ReconcilerResult;
import dev.nodeagent.api.status.AgentStatus;
import dev.nodeagent.api.status.Check;
import dev.nodeagent.api.status.ReconcilerStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The API records as plain JSON trees for {@link PlainJson}, in exactly the layout databind gives them through
 * {@link ApiJson}: properties in component order, {@code Check.result} last, {@code null}s written except where the
 * record says {@code @JsonInclude(NON_NULL)} ({@link ControlResponse}, {@link ReconcilerResult}) or
 * {@code NON_EMPTY} ({@link ControlRequest}). Written by hand so the daemon needs no databind;
 * {@code ApiTreesTest} holds it to databind's bytes, so a new record component must be added here too (and to
 * {@link ApiTreeReader}, which reads them back).
 */
public final class ApiTrees {

    private ApiTrees() {
    }

    public static Map<String, Object> status(AgentStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", s.node());
        m.put("role", s.role());
        m.put("version", s.version());
        m.put("startedAt", s.startedAt());
        m.put("health", s.health());
        m.put("reconcilers", list(s.reconcilers(), ApiTrees::reconciler));
        return m;
    }

    static Map<String, Object> reconciler(ReconcilerStatus r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("state", r.state());
        m.put("reason", r.reason());
        m.put("message", r.message());
        m.put("lastRunAt", r.lastRunAt());
        m.put("lastSuccessAt", r.lastSuccessAt());
        m.put("lastTransitionAt", r.lastTransitionAt());
        m.put("consecutiveFailures", r.consecutiveFailures());
        m.put("durationSeconds", r.durationSeconds());
        m.put("checks", list(r.checks(), ApiTrees::check));
        m.put("details", r.details());
        return m;
    }

    static Map<String, Object> check(Check c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("severity", c.severity());
        m.put("ok", c.ok());
        m.put("message", c.message());
        m.put("result", c.result());
        return m;
    }

    /** {@code NON_NULL}: {@code v} and {@code ok} always, the rest when set. */
    public static Map<String, Object> response(ControlResponse r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", r.v());
        m.put("ok", r.ok());
        putIfNotNull(m, "error", r.error());
        putIfNotNull(m, "message", r.message());
        putIfNotNull(m, "validNames", r.validNames());
        if (r.status() != null) {
            m.put("status", status(r.status()));
        }
        if (r.results() != null) {
            m.put("results", list(r.results(), ApiTrees::result));
        }
        if (r.version() != null) {
            m.put("version", version(r.version()));
        }
        return m;
    }

    static Map<String, Object> result(ReconcilerResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        putIfNotNull(m, "name", r.name());
        putIfNotNull(m, "state", r.state());
        putIfNotNull(m, "reason", r.reason());
        putIfNotNull(m, "message", r.message());
        m.put("changed", r.changed());
        putIfNotNull(m, "lastRunAt", r.lastRunAt());
        m.put("checks", list(r.checks(), ApiTrees::check));
        return m;
    }

    static Map<String, Object> version(DaemonVersion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", v.version());
        m.put("java", v.java());
        m.put("protocol", v.protocol());
        m.put("pid", v.pid());
        m.put("node", v.node());
        return m;
    }

    /**
     * {@code NON_EMPTY}: an empty {@code op} or {@code names} is left out; primitives are always written (databind
     * does not count 0 or false as empty).
     */
    public static Map<String, Object> request(ControlRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", r.v());
        if (r.op() != null && !r.op().isEmpty()) {
            m.put("op", r.op());
        }
        if (!r.names().isEmpty()) {
            m.put("names", r.names());
        }
        m.put("await", r.await());
        m.put("timeoutMillis", r.timeoutMillis());
        return m;
    }

    private static void putIfNotNull(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static <T> List<Object> list(List<T> items, Function<T, Object> tree) {
        List<Object> out = new ArrayList<>(items.size());
        items.forEach(i -> out.add(tree.apply(i)));
        return out;
    }
}
