package io.dialerbridge.element;

import io.dialerbridge.operation.Operation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change for the dialer, as read from its source.
 *
 * @param id        deterministic id derived from the source (sent as Idempotency-Key, kept in dead letters)
 * @param projectId the dialer project
 * @param operation what to do with it
 * @param body      the element as it arrived (null when it could not be parsed)
 * @param raw       the raw text it was read from (a line of NDJSON or CSV), or null
 * @param source    file and line, or topic, partition and offset
 * @param defaults  request-level defaults that came with it from its source (the {@code default}
 *                  object of a whole-request JSON file), or null
 * @param rejection why it must not be sent (null when it is valid)
 * @param rawBytes  the bytes it was read from when they are not valid text (invalid UTF-8), else null:
 *                  the dead letter keeps them (base64) so nothing is repaired silently
 */
public record Element(String id, String projectId, Operation operation, ObjectNode body, String raw,
                      SourceRef source, ObjectNode defaults, Rejection rejection, byte[] rawBytes) {

    public Element(String id, String projectId, Operation operation, ObjectNode body, String raw,
                   SourceRef source, ObjectNode defaults, Rejection rejection) {
        this(id, projectId, operation, body, raw, source, defaults, rejection, null);
    }

    public boolean isValid() {
        return rejection == null;
    }

    public Element rejected(Rejection why) {
        return new Element(id, projectId, operation, body, raw, source, defaults, why, rawBytes);
    }

    public Element withDefaults(ObjectNode sourceDefaults) {
        return new Element(id, projectId, operation, body, raw, source, sourceDefaults, rejection, rawBytes);
    }

    /**
     * The dialer record this element changes: {@code projectid:numberid} (the numberid as the dialer reads it,
     * see {@link #canonicalNumberid}), or {@code projectid:search} (the search object with its keys sorted);
     * null when it names neither. Elements with the same key change the same record, so they keep their order
     * (one Kafka partition, one batch after another).
     */
    public String recordKey() {
        JsonNode numberid = body == null ? null : body.get("numberid");
        String id = canonicalNumberid(numberid);
        if (id != null) {
            return projectId + ":" + id;
        }
        JsonNode search = body == null ? null : body.get("search");
        if (search != null && !search.isNull()) {
            return projectId + ":" + sortedKeys(search);
        }
        return null;
    }

    /**
     * A numberid as the dialer reads it, an integer: surrounding spaces, a plus sign, leading zeros and a zero
     * fraction name the same record ({@code "01"}, {@code " 1"}, {@code 1.0} are record 1), so they must share one
     * key; anything else is kept as it is (trimmed). Null when there is none (missing, blank, not a value).
     */
    public static String canonicalNumberid(JsonNode numberid) {
        if (numberid == null || !numberid.isValueNode() || numberid.isNull()) {
            return null;
        }
        if (numberid.isNumber()) {
            // a number as its value, not as Java prints it (1.0E7 is record 10000000)
            java.math.BigDecimal value = numberid.decimalValue().stripTrailingZeros();
            return value.scale() <= 0 ? value.toBigInteger().toString() : value.toPlainString();
        }
        String text = numberid.asText().trim();
        if (text.isEmpty()) {
            return null;
        }
        int start = text.charAt(0) == '+' ? 1 : 0;
        int end = text.length();
        int dot = text.indexOf('.');
        if (dot >= 0) {
            for (int i = dot + 1; i < end; i++) {
                if (text.charAt(i) != '0') {
                    return text;
                }
            }
            end = dot;
        }
        if (start >= end) {
            return text;
        }
        for (int i = start; i < end; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return text;
            }
        }
        while (start < end - 1 && text.charAt(start) == '0') {
            start++;
        }
        return start == 0 && end == text.length() ? text : text.substring(start, end);
    }

    /** A search object with its keys in order, so that the same selector written two ways is one record. */
    private static String sortedKeys(JsonNode search) {
        if (!search.isObject() || search.size() < 2) {
            return search.toString();
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        search.fieldNames().forEachRemaining(names::add);
        java.util.Collections.sort(names);
        com.fasterxml.jackson.databind.node.ObjectNode sorted = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (String name : names) {
            sorted.set(name, search.get(name));
        }
        return sorted.toString();
    }
}
