package dev.nodeagent.api.json;

import dev.nodeagent.api.status.Severity;
import dev.nodeagent.api.status.State;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultPrettyPrinter;

/**
 * JSON to and from plain Java values — {@link Map} (ordered), {@link List} (any {@link Collection} on writing), {@link String}, {@link Number},
 * {@link Boolean}, {@code null} — on jackson-core's streaming parser and generator alone. The daemon uses this
 * instead of Jackson databind because the AOT cache links every class it holds at start-up: databind's ≈640 classes
 * (plus the annotations) cost ≈4-5 MiB of resident memory for a handful of small documents.
 *
 * <p>The output is byte for byte what databind writes for the same values (same generator, same escaping, and
 * {@link DefaultPrettyPrinter} as databind's {@code INDENT_OUTPUT} uses it); {@code PlainJsonTest} compares the two.
 */
public final class PlainJson {

    /** As {@link ApiJson}'s mapper: the JDK's double parser (the shaded fast one costs classes for a few doubles). */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();
    /** For documents that must be exactly one value with no key twice (configuration files checked for people). */
    private static final JsonFactory STRICT = FACTORY.rebuild()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final ObjectWriteContext PRETTY = new ObjectWriteContext.Base() {
        @Override
        public PrettyPrinter getPrettyPrinter() {
            return new DefaultPrettyPrinter(); // stateful (indent level): one per generator
        }

        @Override
        public boolean hasPrettyPrinter() {
            return true;
        }
    };

    private PlainJson() {
    }

    /** Compact, one line, UTF-8. */
    public static byte[] writeBytes(Object value) {
        return write(value, ObjectWriteContext.empty());
    }

    /** Compact, one line. */
    public static String write(Object value) {
        return new String(writeBytes(value), StandardCharsets.UTF_8);
    }

    /** Indented as Jackson's default pretty printer does it ({@code "key" : value}, two spaces, {@code [ a, b ]}). */
    public static String writePretty(Object value) {
        return new String(write(value, PRETTY), StandardCharsets.UTF_8);
    }

    private static byte[] write(Object value, ObjectWriteContext context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(context, out)) {
            writeValue(g, value);
        }
        return out.toByteArray();
    }

    /**
     * Writes one plain value. Besides the plain types: an {@link Instant} as its ISO-8601 string, {@link State} and
     * {@link Severity} as their wire words, other enums by name — what databind does with them here.
     *
     * @throws IllegalArgumentException for any other type: such a value is not JSON-friendly, and writing it some
     *     other way than databind would silently change the wire format
     */
    public static void writeValue(JsonGenerator g, Object value) {
        // an if-chain, not a pattern switch: that switch's bootstrap spins a class at run time (ClassFile API), which
        // agentctl's short life pays for on every run
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof Collection<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).intValue());
        } else if (value instanceof Long l) {
            g.writeNumber(l);
        } else if (value instanceof Double d) {
            g.writeNumber(d);
        } else if (value instanceof Float f) {
            g.writeNumber(f);
        } else if (value instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (value instanceof BigDecimal b) {
            g.writeNumber(b);
        } else if (value instanceof Instant t) {
            g.writeString(t.toString());
        } else if (value instanceof State s) {
            g.writeString(s.wire());
        } else if (value instanceof Severity s) {
            g.writeString(s.wire());
        } else if (value instanceof Enum<?> e) {
            g.writeString(e.name());
        } else {
            throw new IllegalArgumentException("not a plain JSON value: " + value.getClass().getName());
        }
    }

    /**
     * Parses one JSON document: objects become {@link LinkedHashMap}s (document order), arrays {@link ArrayList}s,
     * whole numbers {@link Integer}, {@link Long} or {@link BigInteger} (the smallest that fits), others
     * {@link Double}. Text after the value is ignored, as databind's {@code readTree} does by default.
     *
     * @throws JacksonException (unchecked) when the text is not JSON; {@code getOriginalMessage()} says why and
     *     {@code getLocation()} where
     */
    public static Object parse(String json) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            return p.nextToken() == null ? null : readValue(p);
        }
    }

    /**
     * Parses exactly one JSON document in which no object names a key twice; anything but whitespace after it is an
     * error. (Empty input is {@code null}, as for {@link #parse}.)
     */
    public static Object parseStrict(byte[] json) {
        try (JsonParser p = STRICT.createParser(ObjectReadContext.empty(), json)) {
            if (p.nextToken() == null) {
                return null;
            }
            Object value = readValue(p);
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new StreamReadException(p, "Trailing token (of type " + trailing + ") found after the value:"
                        + " a document holds exactly one value");
            }
            return value;
        }
    }

    private static Object readValue(JsonParser p) {
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (String name = p.nextName(); name != null; name = p.nextName()) {
                    p.nextToken();
                    m.put(name, readValue(p));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(p));
                }
                yield list;
            }
            case VALUE_STRING -> p.getString();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new StreamReadException(p, "Unexpected token " + p.currentToken());
        };
    }

    /** A value as compact JSON, for messages that quote what was found ({@code must be a number, not "x"}). */
    public static String quote(Object value) {
        return write(value);
    }
}
