package dev.nodeagent.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

class PlainJsonTest {

    private static final String DOC = "{\"s\":\"a\\u00fc\\n\\\"\",\"i\":1,\"l\":4294967296,\"b\":18446744073709551616,"
            + "\"d\":0.5,\"e\":1e3,\"t\":true,\"f\":false,\"n\":null,\"a\":[[],{},[1,[2]]],\"o\":{\"z\":1,\"a\":2}}";

    @Test
    void parsesToPlainValuesInDocumentOrder() {
        Map<?, ?> m = (Map<?, ?>) PlainJson.parse(DOC);
        assertEquals(List.of("s", "i", "l", "b", "d", "e", "t", "f", "n", "a", "o"), List.copyOf(m.keySet()));
        assertEquals("aü\n\"", m.get("s"));
        assertEquals(1, m.get("i"));
        assertEquals(4294967296L, m.get("l"));
        assertEquals(new BigInteger("18446744073709551616"), m.get("b"));
        assertEquals(0.5, m.get("d"));
        assertEquals(1000.0, m.get("e"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertTrue(m.containsKey("n") && m.get("n") == null);
        assertEquals(List.of(List.of(), Map.of(), List.of(1, List.of(2))), m.get("a"));
        assertEquals(List.of("z", "a"), List.copyOf(((Map<?, ?>) m.get("o")).keySet()));
    }

    @Test
    void writesWhatDatabindWritesForTheSameTree() {
        var mapper = ApiJson.mapper();
        assertEquals(mapper.writeValueAsString(mapper.readTree(DOC)), PlainJson.write(PlainJson.parse(DOC)));
        assertEquals(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(DOC)),
                PlainJson.writePretty(PlainJson.parse(DOC)));
    }

    @Test
    void lenientParseIgnoresWhatFollowsTheValueAsReadTreeDoes() {
        assertEquals(Map.of("a", 1), PlainJson.parse("{\"a\":1} {\"b\":2}"));
        assertEquals(null, PlainJson.parse("  "));
    }

    @Test
    void strictParseRejectsDuplicateKeysAndTrailingValues() {
        JacksonException dup = assertThrows(JacksonException.class,
                () -> PlainJson.parseStrict("{\"a\":1,\n\"a\":2}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(dup.getOriginalMessage().contains("Duplicate Object property \"a\""), dup.getOriginalMessage());
        assertEquals(2, dup.getLocation().getLineNr());
        JacksonException trailing = assertThrows(JacksonException.class,
                () -> PlainJson.parseStrict("{\"a\":1}\n[]".getBytes(StandardCharsets.UTF_8)));
        assertTrue(trailing.getOriginalMessage().startsWith("Trailing token (of type START_ARRAY)"), trailing.getOriginalMessage());
        assertEquals(2, trailing.getLocation().getLineNr());
        assertEquals(Map.of("a", 1), PlainJson.parseStrict("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void malformedInputSaysWhereAndWhy() {
        JacksonException e = assertThrows(JacksonException.class, () -> PlainJson.parse("{\"a\":1,}"));
        assertTrue(e.getOriginalMessage().contains("Unexpected character"), e.getOriginalMessage());
        assertThrows(JacksonException.class, () -> PlainJson.parse("[1, 2"));
    }

    @Test
    void refusesValuesThatAreNotPlainJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", java.nio.file.Path.of("/x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlainJson.write(m));
        assertTrue(e.getMessage().contains("sun.nio.fs") || e.getMessage().contains("Path"), e.getMessage());
    }
}
