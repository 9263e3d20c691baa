package io.dialerbridge.operation;

import io.dialerbridge.element.Rejection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.regex.Pattern;

/** Checks and conversions the operations share: values read from CSV arrive as text. */
final class ElementChecks {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The dialer's date-time format, {@code YYYY-MM-DD HH:MM:SS}, resolved strictly (no 30 February). */
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    static final Pattern INTEGER = Pattern.compile("^-?\\d{1,18}$");

    private ElementChecks() {
    }

    static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !(node.isTextual() && node.asText().isBlank());
    }

    static String text(JsonNode node) {
        return present(node) ? node.asText().trim() : null;
    }

    /** A whole number, given as a JSON number or as text. */
    static boolean isInteger(JsonNode node) {
        return node.isIntegralNumber() || (node.isTextual() && INTEGER.matcher(node.asText().trim()).matches());
    }

    static boolean isNumber(JsonNode node) {
        if (node.isNumber()) {
            return true;
        }
        if (!node.isTextual()) {
            return false;
        }
        try {
            Double.parseDouble(node.asText().trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static boolean isBoolean(JsonNode node) {
        return node.isBoolean() || (node.isTextual()
                && (node.asText().trim().equalsIgnoreCase("true") || node.asText().trim().equalsIgnoreCase("false")));
    }

    static JsonNode asInteger(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node;
        }
        long value = Long.parseLong(node.asText().trim());
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    static JsonNode asNumber(JsonNode node) {
        return node.isNumber() ? node : NODES.numberNode(Double.parseDouble(node.asText().trim()));
    }

    static JsonNode asBoolean(JsonNode node) {
        return node.isBoolean() ? node : NODES.booleanNode(node.asText().trim().equalsIgnoreCase("true"));
    }

    /** Null when {@code value} is a real date and time in the dialer's format, else why not. */
    static String dateTimeProblem(String value) {
        try {
            LocalDateTime.parse(value, DATE_TIME);
            return null;
        } catch (DateTimeParseException e) {
            return "'" + value + "' is not a real date and time in the form YYYY-MM-DD HH:MM:SS";
        }
    }

    static boolean isEmail(String value) {
        return EMAIL.matcher(value.trim()).matches();
    }

    static Rejection reject(String error, String message) {
        return Rejection.beforeSending(error, message);
    }

    /** Copies {@code key} from {@code from} to {@code to} when present, converted by {@code as}. */
    static void copy(ObjectNode from, ObjectNode to, String key, java.util.function.UnaryOperator<JsonNode> as) {
        JsonNode value = from.get(key);
        if (present(value)) {
            to.set(key, as.apply(value));
        }
    }

    static void copyText(ObjectNode from, ObjectNode to, String key) {
        JsonNode value = from.get(key);
        if (value != null && !value.isNull()) {
            to.put(key, value.asText());
        }
    }
}
