package dev.nodeagent.api.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-written trees must give the very bytes databind gives the records ({@link ApiJson}), compact and pretty:
 * /status and the control protocol are read by older agentctls and by scripts. Any difference in field order,
 * inclusion, escaping or number form fails here.
 */
class ApiTreesTest {

    /** Text that needs escaping or is outside ASCII: quotes, backslash, control characters, U+2028, an emoji. */
    static final String AWKWARD = "q\"b\\s/ t\t n\n r\r nul\u0000 esc\u001b del\u007f ü € \u2028 \uD83D\uDE00 </script>";

    static Stream<AgentStatus> statuses() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("target", "/run/node-agent/certs");
        nested.put("generation", 7L);
        nested.put("targetInMemory", false);
        nested.put("certs", List.of(Map.of("check", "chain", "result", "ok", "message", AWKWARD),
                List.of(), Map.of(), List.of(1, 2.5, -0.0, 1e-7, 1.0E21, Double.NaN, Long.MAX_VALUE)));
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            many.put("key" + i, i % 2 == 0 ? "v" + i : i);
        }
        return Stream.of(
                new AgentStatus("n1", "worker", "1.0", Instant.parse("2026-11-24T07:00:00Z"), Health.DEGRADED, List.of(
                        new ReconcilerStatus("tailnet", State.FAILED, "RouteMissing", "100.64.0.1 routes via eth0",
                                Instant.parse("2026-11-24T07:01:00.123456789Z"), null, Instant.parse("2026-11-24T07:01:00Z"),
                                3, 0.25, List.of(Check.fail("route 100.64.0.1", "via eth0, not tailscale0"),
                                        Check.warnIfNot(false, "swap", "swap is on"), Check.pass("mtu", "")),
                                Map.of("interface", "tailscale0", "mtu", 1280, "operstate", "UNKNOWN")),
                        new ReconcilerStatus("cert-bundle", State.OK, "Reconciled", AWKWARD, Instant.EPOCH,
                                Instant.parse("1999-12-31T23:59:59.5Z"), Instant.MAX, Integer.MAX_VALUE, 1.0E-9,
                                List.of(new Check(AWKWARD, Severity.WARNING, true, AWKWARD)), nested),
                        new ReconcilerStatus("many", State.WAITING, "", "", null, null, null, 0, 12345678.9, List.of(),
                                Map.copyOf(many)),
                        ReconcilerStatus.pending("cni-ipam-link"))),
                new AgentStatus("", null, null, null, Health.STARTING, List.of()),
                new AgentStatus(AWKWARD, AWKWARD, "", Instant.parse("2026-01-01T00:00:00.001Z"), Health.READY,
                        List.of(new ReconcilerStatus("d", State.OK, null, null, null, null, null, -1, Double.MAX_VALUE,
                                null, Map.of("empty", Map.of(), "list", List.of("a", AWKWARD), "big", 1L << 40,
                                        "t", true, "f", false)))));
    }

    @ParameterizedTest
    @MethodSource("statuses")
    void statusCompactIsDatabindsBytes(AgentStatus s) {
        assertBytes(ApiJson.mapper().writeValueAsBytes(s), PlainJson.writeBytes(ApiTrees.status(s)));
        assertEquals(ApiJson.write(s), PlainJson.write(ApiTrees.status(s)));
    }

    @ParameterizedTest
    @MethodSource("statuses")
    void statusPrettyIsDatabindsText(AgentStatus s) {
        assertEquals(ApiJson.writePretty(s), PlainJson.writePretty(ApiTrees.status(s)));
    }

    static Stream<ControlResponse> responses() {
        AgentStatus status = statuses().findFirst().orElseThrow();
        return Stream.of(
                ControlResponse.error(ControlRequest.class.getSimpleName(), AWKWARD),
                ControlResponse.error("Internal", null),
                ControlResponse.unknownNames("no such reconciler: x", List.of("cert-bundle", "tailnet")),
                ControlResponse.unknownNames("none", List.of()),
                ControlResponse.ofStatus(status),
                ControlResponse.ofStatus(statuses().skip(1).findFirst().orElseThrow()),
                ControlResponse.ofResults(List.of()),
                ControlResponse.ofResults(List.of(
                        new ReconcilerResult("tailnet", "failed", "RouteMissing", AWKWARD, true,
                                Instant.parse("2026-11-24T07:01:00Z"), List.of(Check.fail("route", "via eth0"))),
                        new ReconcilerResult("x", ReconcilerResult.REQUESTED, null, null, false, null, null),
                        new ReconcilerResult(null, null, null, null, false, null, List.of()))),
                ControlResponse.ofVersion(new DaemonVersion("0.1.0", "25.0.3", 1, 4242L, "node-1")),
                ControlResponse.ofVersion(new DaemonVersion(null, null, 0, -1L, null)),
                new ControlResponse(2, true, "e", "m", List.of("a"), status, List.of(), new DaemonVersion("v", "j", 1, 2, "n")));
    }

    @ParameterizedTest
    @MethodSource("responses")
    void responseIsDatabindsBytes(ControlResponse r) {
        assertBytes(ApiJson.mapper().writeValueAsBytes(r), PlainJson.writeBytes(ApiTrees.response(r)));
    }

    static Stream<ControlRequest> requests() {
        return Stream.of(ControlRequest.of("status"), ControlRequest.of("version"), ControlRequest.check(30_000),
                ControlRequest.resync(List.of(), false, 0), ControlRequest.resync(List.of("cert-bundle", AWKWARD), true, 5000),
                new ControlRequest(0, "", null, false, Long.MIN_VALUE), new ControlRequest(-3, null, List.of(""), true, -1));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void requestIsDatabindsBytesAndReadsBack(ControlRequest r) {
        assertBytes(ApiJson.mapper().writeValueAsBytes(r), PlainJson.writeBytes(ApiTrees.request(r)));
        assertEquals(ApiJson.read(ApiJson.write(r), ControlRequest.class), ApiTreeReader.request(PlainJson.parse(ApiJson.write(r))));
    }

    @Test
    void requestIgnoresPropertiesANewerAgentctlMaySend() {
        assertEquals(ControlRequest.resync(List.of("a"), true, 5),
                ApiTreeReader.request(PlainJson.parse("{\"future\":{\"x\":[1,null]},\"v\":1,\"op\":\"resync\","
                        + "\"names\":[\"a\"],\"await\":true,\"timeoutMillis\":5,\"more\":null}")));
        assertEquals(new ControlRequest(0, null, List.of(), false, 0), ApiTreeReader.request(PlainJson.parse("{}")));
        assertEquals(null, ApiTreeReader.request(PlainJson.parse("null")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[1]                                | request: expected an object, not an array",
            "\"status\"                         | request: expected an object, not the string \"status\"",
            "{\"v\":\"1\",\"op\":\"status\"}        | request: \"v\" must be a whole number (int), not the string \"1\"",
            "{\"v\":1.5,\"op\":\"status\"}          | request: \"v\" must be a whole number (int), not 1.5",
            "{\"v\":4294967296,\"op\":\"status\"}   | request: \"v\" must be a whole number (int), not 4294967296",
            "{\"v\":1,\"op\":7}                   | request: \"op\" must be a string, not 7",
            "{\"v\":1,\"op\":\"resync\",\"names\":\"a\"} | request: \"names\" must be a list of strings, not the string \"a\"",
            "{\"v\":1,\"op\":\"resync\",\"names\":[1]} | request: \"names\" must be a list of strings, not one holding 1",
            "{\"v\":1,\"op\":\"resync\",\"await\":\"yes\"} | request: \"await\" must be true or false, not the string \"yes\"",
            "{\"v\":1,\"op\":\"check\",\"timeoutMillis\":[]} | request: \"timeoutMillis\" must be a whole number, not an array",
    })
    void requestOfTheWrongShapeNamesWhatIsWrong(String json, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ApiTreeReader.request(PlainJson.parse(json)));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("responses")
    void responseReadsBackAsDatabindReadsIt(ControlResponse r) {
        String json = ApiJson.write(r);
        assertEquals(ApiJson.read(json, ControlResponse.class), ApiTreeReader.response(PlainJson.parse(json)));
        String pretty = ApiJson.writePretty(r).replaceFirst("\\{", "{\"newField\":{\"x\":[1.5]},");
        assertEquals(ApiJson.read(pretty, ControlResponse.class), ApiTreeReader.response(PlainJson.parse(pretty)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"v\":1,\"ok\":true,\"status\":{\"health\":\"READY\"}}  | status: \"node\" is missing",
            "{\"v\":1,\"ok\":true,\"status\":{\"node\":\"n\",\"health\":\"GOOD\"}} | status: \"health\" must be one of STARTING, READY, DEGRADED, not the string \"GOOD\"",
            "{\"v\":1,\"ok\":true,\"status\":{\"node\":\"n\",\"health\":\"READY\",\"startedAt\":\"yesterday\"}} | status: \"startedAt\" must be an ISO-8601 instant, not the string \"yesterday\"",
            "{\"v\":1,\"ok\":true,\"status\":{\"node\":\"n\",\"health\":\"READY\",\"reconcilers\":[{\"name\":\"a\",\"state\":\"ok\",\"durationSeconds\":\"x\"}]}} | reconciler status: \"durationSeconds\" must be a number, not the string \"x\"",
            "{\"v\":1,\"ok\":true,\"results\":[{\"checks\":[{\"name\":\"c\",\"severity\":\"fatal\"}]}]} | check: \"severity\" must be one of failure, warning, not the string \"fatal\"",
            "{\"v\":1,\"ok\":true,\"version\":[]} | daemon version: expected an object, not an array",
            "{\"v\":1,\"ok\":\"yes\"} | response: \"ok\" must be true or false, not the string \"yes\"",
    })
    void responseOfTheWrongShapeNamesWhatIsWrong(String json, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ApiTreeReader.response(PlainJson.parse(json)));
        assertEquals(message, e.getMessage());
    }

    @Test
    void readsInstantsWithAnOffsetAndSpecialDoubles() {
        ReconcilerStatus r = ApiTreeReader.reconciler(PlainJson.parse("{\"name\":\"a\",\"state\":\"ok\","
                + "\"lastRunAt\":\"2026-11-24T08:00:00+01:00\",\"durationSeconds\":\"NaN\"}"));
        assertEquals(Instant.parse("2026-11-24T07:00:00Z"), r.lastRunAt());
        assertEquals(Double.NaN, r.durationSeconds());
    }

    /** A component added to a record without a line in ApiTrees must fail a test, not vanish from the wire. */
    @Test
    void everyRecordComponentIsWritten() {
        AgentStatus s = statuses().findFirst().orElseThrow();
        assertEquals(names(AgentStatus.class), ApiTrees.status(s).keySet());
        assertEquals(names(ReconcilerStatus.class), ApiTrees.reconciler(s.reconcilers().getFirst()).keySet());
        assertEquals(with(names(Check.class), "result"), ApiTrees.check(Check.pass("a", "b")).keySet());
        ControlResponse full = responses().reduce((a, b) -> b).orElseThrow();
        assertEquals(names(ControlResponse.class), ApiTrees.response(full).keySet());
        assertEquals(names(ReconcilerResult.class), ApiTrees.result(new ReconcilerResult("n", "ok", "r", "m", true,
                Instant.EPOCH, List.of())).keySet());
        assertEquals(names(DaemonVersion.class), ApiTrees.version(full.version()).keySet());
        assertEquals(names(ControlRequest.class), ApiTrees.request(ControlRequest.resync(List.of("a"), true, 1)).keySet());
    }

    private static Set<String> names(Class<? extends Record> type) {
        return new TreeSet<>(Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList());
    }

    private static Set<String> with(Set<String> names, String extra) {
        Set<String> out = new TreeSet<>(names);
        out.add(extra);
        return out;
    }

    private static void assertBytes(byte[] want, byte[] got) {
        assertArrayEquals(want, got, () -> "databind: " + new String(want, StandardCharsets.UTF_8)
                + "\nplain:    " + new String(got, StandardCharsets.UTF_8));
    }
}
