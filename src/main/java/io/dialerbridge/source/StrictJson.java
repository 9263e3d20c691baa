package io.dialerbridge.source;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * How input JSON is read, the one setup for NDJSON lines, JSON file elements and Kafka values:
 * <ul>
 *   <li>one value and nothing after it: {@code {"a":1}{"b":2}} or {@code {...},} is not valid JSON;</li>
 *   <li>no key twice in one object, at any depth (a second {@code numberid} could change another
 *       record): the error names the key;</li>
 *   <li>numbers as written: a decimal is kept as the exact {@link java.math.BigDecimal} (its scale too,
 *       so {@code 10.00} stays {@code 10.00} and {@code 1E400} stays {@code 1E+400}), never rounded
 *       through a double.</li>
 * </ul>
 */
public final class StrictJson {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private StrictJson() {
    }

    /** The one JSON value of this text; {@link JacksonException} when it is not exactly one valid value. */
    public static JsonNode read(String text) throws JacksonException {
        return MAPPER.readTree(text);
    }
}
