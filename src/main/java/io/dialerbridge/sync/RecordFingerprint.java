package io.dialerbridge.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.operation.OperationRules;
import io.dialerbridge.operation.ProjectDefaults;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The record key and the fingerprint of an element, for incremental sync (docs/SYNC.md).
 * <ul>
 *   <li>key: {@code n:<numberid>} (as the dialer reads it: {@code "042"} and {@code 42} are one record, see {@link Element#canonicalNumberid}), {@code s:<the search selector in a canonical form>} (object keys
 *       sorted, so {@code {"a":1,"b":2}} and {@code {"b":2,"a":1}} are one record), or
 *       {@code h:<recordHandle>} (Genesys); null when the element names no record;</li>
 *   <li>fingerprint: the 128-bit MurmurHash3 of the element's canonical form together with
 *       the request-level values it is sent with (the project's {@code default} or {@code disposition}
 *       object from configuration, overlaid by its source's, and settings such as {@code avoid_in_call}):
 *       the values after defaults are applied, so a changed default sends every record again
 *       ({@link CanonicalHash}: why not SHA-256, used before).</li>
 * </ul>
 */
public final class RecordFingerprint {

    public static final int LENGTH = 16;

    private final ProjectDefaults projectDefaults;
    /** project/operation → the canonical request-level values, for elements without source defaults */
    private final Map<String, byte[]> requestValues = new ConcurrentHashMap<>();

    /** the request-level values of the project and operation looked up last (a snapshot is one of each) */
    private volatile Scoped lastScoped;

    private record Scoped(String projectId, Operation operation, byte[] values) {
    }

    public RecordFingerprint(ProjectDefaults projectDefaults) {
        this.projectDefaults = projectDefaults;
    }

    /** The record an element changes, canonical; null when it names none. */
    public static String key(Element element) {
        JsonNode body = element.body();
        if (body == null) {
            return null;
        }
        String numberid = Element.canonicalNumberid(body.get("numberid"));
        if (numberid != null) {
            return "n:" + numberid;
        }
        JsonNode search = body.get("search");
        if (search != null && !search.isNull()) {
            StringBuilder canonical = new StringBuilder("s:");
            canonical(search, canonical);
            return canonical.toString();
        }
        JsonNode handle = body.get("recordHandle");
        if (handle != null && handle.isValueNode() && !handle.asText().isBlank()) {
            return "h:" + handle.asText().trim();
        }
        return null;
    }

    /** The fingerprint of the values the element is sent with. */
    public byte[] of(Element element) {
        CanonicalHash hash = CanonicalHash.start().value(element.body()).separator();
        if (element.defaults() == null) {
            Scoped last = lastScoped;
            if (last == null || last.operation != element.operation() || !last.projectId.equals(element.projectId())) {
                last = new Scoped(element.projectId(), element.operation(),
                        requestValues.computeIfAbsent(element.projectId() + "/" + element.operation().id(),
                                scope -> requestValues(element.projectId(), element.operation(), null)));
                lastScoped = last;
            }
            hash.bytes(last.values);
        } else {
            hash.bytes(requestValues(element.projectId(), element.operation(), element.defaults()));
        }
        return hash.fingerprint();
    }

    /** The canonical form of the request-level values, as {@link CanonicalHash} writes it. */
    private byte[] requestValues(String projectId, Operation operation, ObjectNode sourceDefaults) {
        OperationRules rules = operation.rules();
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        String defaultsKey = rules.requestDefaultsKey();
        ObjectNode defaults = projectDefaults.forBatch(projectId, defaultsKey, sourceDefaults);
        if (defaultsKey != null && !defaults.isEmpty()) {
            request.set(defaultsKey, defaults);
        }
        rules.addRequestSettings(request, projectDefaults, projectId);
        return new CanonicalHash().value(request).written();
    }

    /** JSON with object keys sorted; numbers and text kept apart ("1" and 1 differ): the canonical form as text. */
    public static void canonical(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            List<String> names = new ArrayList<>();
            Iterator<String> it = node.fieldNames();
            it.forEachRemaining(names::add);
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                quoted(names.get(i), out).append(':');
                canonical(node.get(names.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                canonical(node.get(i), out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            quoted(node.textValue(), out);
        } else if (node.isNumber() || node.isBoolean()) {
            out.append(node.asText());
        } else {
            out.append(node);
        }
    }

    /**
     * Text between quotes, with quotes and backslashes escaped: unambiguous, which is all a fingerprint
     * needs (Jackson's own writer, used before, cost a generator per value).
     */
    private static StringBuilder quoted(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"');
    }
}
