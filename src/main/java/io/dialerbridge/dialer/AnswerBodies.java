package io.dialerbridge.dialer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reading the body of a dialer's answer: parsed as JSON whatever its content type says (VCC Live
 * sends its envelope as text/plain), and shortened for messages when it is not what was expected.
 */
public final class AnswerBodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AnswerBodies() {
    }

    /** The body as a JSON object, or null when it is empty, not JSON, or not an object. */
    public static JsonNode parseObject(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node.isObject() ? node : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The body on one line, at most 200 characters, for an error message. */
    public static String abbreviate(String body) {
        if (body == null) {
            return "(empty)";
        }
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "…";
    }
}
