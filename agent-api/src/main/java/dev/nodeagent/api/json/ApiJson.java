package dev.nodeagent.api.json;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The databind codec for API records: the reference the hand-written codec ({@link PlainJson}, {@link ApiTrees},
 * {@link ApiTreeReader}) is tested against, and {@code agentctl bundle inspect}'s printer. Instants are ISO-8601
 * strings; unknown properties are ignored on read. The daemon and {@code agentctl status}/{@code version} do not
 * use it: databind's ≈640 classes would stay resident through their AOT caches.
 */
public final class ApiJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // the JDK's Double.parseDouble: the shaded fast parser's first use costs agentctl ≈15 ms of class loading
            // and BigInteger set-up, and our documents hold a handful of doubles (durations)
            .disable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private ApiJson() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** Compact, one line. */
    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** Indented, for people reading {@code curl} output. */
    public static String writePretty(Object value) {
        return MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    }

    /** @throws JacksonException (unchecked) when the text is not a valid {@code type}. */
    public static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }
}
