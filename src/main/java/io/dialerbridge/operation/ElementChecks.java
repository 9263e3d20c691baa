package io.dialerbridge.operation;

import io.dialerbridge.element.Rejection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks and conversions the operations share: values read from CSV arrive as text. */
final class ElementChecks {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The dialer's date-time format, {@code YYYY-MM-DD HH:MM:SS}, resolved strictly (no 30 February). */
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    static final Pattern INTEGER = Pattern.compile("^-?\\d{1,18}$");
    /** Keys the bridge itself reads from an element's top level, whatever the operation (a Kafka value's project). */
    static final Set<String> BRIDGE_KEYS = Set.of("projectid");
    /** How many unknown paths a refusal names before it says "and N more". */
    private static final int NAMED_PATHS = 8;

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

    /**
     * Null when every key of {@code object} is one of {@code known}; else {@code error.unknown_key},
     * naming each key the operation would not send by its path (a CSV column names the same path:
     * {@code contacts.1.phone}) and saying what is taken there. {@code where} is the path of
     * {@code object} ("" for the element's top level, else such as {@code "contacts.1."}).
     */
    static Rejection unknownKeys(String operation, String where, JsonNode object, Set<String> known, String takes) {
        if (object == null || !object.isObject()) {
            return null;
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> keys = object.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!known.contains(key) && !(where.isEmpty() && BRIDGE_KEYS.contains(key))) {
                paths(where + key, object.get(key), unknown);
            }
        }
        if (unknown.isEmpty()) {
            return null;
        }
        String named = named(unknown);
        return reject("error.unknown_key", operation + " does not send " + named + " (nothing of this element was sent): "
                + takes);
    }

    /**
     * Null when every value of {@code object} is one a field can hold (text, a number, true or false, null, or a
     * list of those: the values of a choice field); else {@code error.wrong_field_value}, naming by its path (a CSV
     * column names the same path) each value inside an object, and each list that holds an object or a list. The
     * API writes field values as text; a nested object would reach the dialer as its JSON text, which is never what
     * the source meant.
     */
    static Rejection fieldValues(String where, JsonNode object) {
        if (object == null || !object.isObject()) {
            return null;
        }
        List<String> wrong = new ArrayList<>();
        object.fields().forEachRemaining(e -> {
            JsonNode value = e.getValue();
            if (value.isObject()) {
                paths(where + e.getKey(), value, wrong);
            } else if (value.isArray()) {
                // a list of choices (texts or valueids) is what a simple or multiple field takes
                for (JsonNode item : value) {
                    if (item.isContainerNode()) {
                        wrong.add(where + e.getKey());
                        break;
                    }
                }
            }
        });
        if (wrong.isEmpty()) {
            return null;
        }
        String named = named(wrong);
        return reject("error.wrong_field_value", named + ": a field value is text, a number, true or false, or a list "
                + "of those (a choice field's values), never an object; nothing of this element was sent");
    }

    /** The first {@value #NAMED_PATHS} paths, joined, and how many more there are. */
    private static String named(List<String> paths) {
        return String.join(", ", paths.subList(0, Math.min(paths.size(), NAMED_PATHS)))
                + (paths.size() > NAMED_PATHS ? " and " + (paths.size() - NAMED_PATHS) + " more" : "");
    }

    /** The leaf paths under {@code path} (the path itself for a value, an array or an empty object). */
    private static void paths(String path, JsonNode value, List<String> into) {
        if (value.isObject() && !value.isEmpty()) {
            value.fields().forEachRemaining(e -> paths(path + "." + e.getKey(), e.getValue(), into));
        } else {
            into.add(path);
        }
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
