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
     * The dialer record this element changes: {@code projectid:numberid}, or {@code projectid:search}
     * (the search object as JSON); null when it names neither. Elements with the same key change the
     * same record, so they keep their order (one Kafka partition, one batch after another).
     */
    public String recordKey() {
        JsonNode numberid = body == null ? null : body.get("numberid");
        if (numberid != null && numberid.isValueNode() && !numberid.asText().isBlank()) {
            return projectId + ":" + numberid.asText();
        }
        JsonNode search = body == null ? null : body.get("search");
        if (search != null && !search.isNull()) {
            return projectId + ":" + search;
        }
        return null;
    }
}
