package io.dialerbridge.sandbox;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The faults the sandbox injects (contract section 3). Every part is optional: {@code null} means "off".
 * The JSON form (PUT /sandbox/faults) is this record as JSON; the property form is
 * {@code sandbox.faults.<path>} (see {@link #fromProperties(Map)} and docs/SANDBOX.md).
 *
 * <p>Request-level faults ({@link Latency}, {@link Errors}, {@link Disconnects}, {@link Hangs}) share one trigger
 * model ({@link Trigger}): they apply to requests whose path starts with {@code path} and whose method is
 * {@code method} (both optional); among those, every {@code everyNth}-th fires, or each fires with probability
 * {@code rate} (seeded random), or — when neither is set — every one fires; {@code times} caps how often the fault
 * fires in total ("the next 3 requests answer 503" = {@code {"errors":{"statuses":[503],"times":3}}}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Faults(
        Long seed,
        Latency latency,
        Errors errors,
        Disconnects disconnects,
        Hangs hangs,
        RateLimit rateLimit,
        List<ElementError> elementErrors,
        List<RecordRef> recordsInCall,
        Boolean rejectCredentials,
        Integer sessionTtlSeconds,
        Acks acks) {

    /** No faults at all. */
    public static Faults none() {
        return new Faults(null, null, null, null, null, null, null, null, null, null, null);
    }

    public boolean rejectsCredentials() {
        return Boolean.TRUE.equals(rejectCredentials);
    }

    /** What request-level faults have in common: which requests they apply to and how often they fire. */
    public interface Trigger {
        String path();

        String method();

        Double rate();

        Integer everyNth();

        Integer times();

        default boolean appliesTo(String requestMethod, String requestPath) {
            return (path() == null || requestPath.startsWith(path()))
                    && (method() == null || method().equalsIgnoreCase(requestMethod));
        }
    }

    /** Added delay: {@code requestMs} per request plus {@code elementMs} per batch element. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Latency(Long requestMs, Long elementMs, Boolean beforeProcessing,
                          String path, String method, Double rate, Integer everyNth, Integer times) implements Trigger {
        long delayMs(int elements) {
            return (requestMs == null ? 0 : requestMs) + (elementMs == null ? 0 : elementMs * elements);
        }
    }

    /** Answers with one of {@code statuses} (default 500, 502, 503, taken in turn) without touching state. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Errors(List<Integer> statuses, Integer retryAfterSeconds,
                         String path, String method, Double rate, Integer everyNth, Integer times) implements Trigger {
        List<Integer> effectiveStatuses() {
            return statuses == null || statuses.isEmpty() ? List.of(500, 502, 503) : statuses;
        }
    }

    /** Sends the headers with the full Content-Length, then half the body, then closes the connection. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Disconnects(Boolean beforeProcessing,
                              String path, String method, Double rate, Integer everyNth, Integer times) implements Trigger {
    }

    /**
     * Never answers, and changes nothing; the connection is closed after {@code maxSeconds} (default 300) or when the
     * sandbox stops. With {@code minElements}, only batches of at least that many elements hang (a server too slow
     * for large batches: the client times out, smaller batches go through).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Hangs(Integer maxSeconds, Integer minElements,
                        String path, String method, Double rate, Integer everyNth, Integer times) implements Trigger {
        boolean sizeApplies(int elements) {
            return minElements == null || elements >= minElements;
        }
    }

    /**
     * More than {@code round(requestsPerSecond * windowSeconds)} (at least 1) requests to one project within a window
     * of {@code windowSeconds} (default 1; it starts at the first request) answer 429 with {@code Retry-After}: {@code retryAfterSeconds}, or by default
     * the seconds left in the window (at least 1). Limited to one project when {@code projectid} is set.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RateLimit(Double requestsPerSecond, Integer windowSeconds, Integer retryAfterSeconds, Integer projectid) {
        int windowMillis() {
            return (windowSeconds == null || windowSeconds <= 0 ? 1 : windowSeconds) * 1000;
        }

        long allowedPerWindow() {
            return Math.max(1, Math.round((requestsPerSecond == null ? 0 : requestsPerSecond) * windowMillis() / 1000.0));
        }
    }

    /**
     * Batch elements (or single-object forms) that fail with {@code error} (default {@code error.injected}).
     * All given criteria must hold: {@code operation} (modify-records, modify-dispositions, add-records,
     * modify-records-single, modify-contacts), {@code projectid}, {@code index} (batch only), {@code field} present in
     * the element's form with text {@code value} (trimmed, case ignored; any value when {@code value} is null).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ElementError(String operation, Integer projectid, Integer index, String field, String value,
                               String error, Integer times, String effect) {
        /** The element is refused with {@code error} (default). */
        public static final String REFUSE = "refuse";
        /** The element is neither applied nor mentioned in the answer: the client sees it unconfirmed. */
        public static final String OMIT = "omit";
        /** The whole batch request answers 400 {@code error.wrong_request_format} without indices; nothing applied. */
        public static final String REJECT_REQUEST = "reject-request";

        String effectiveError() {
            return error == null || error.isBlank() ? "error.injected" : error;
        }

        String effectiveEffect() {
            return effect == null || effect.isBlank() ? REFUSE : effect;
        }
    }

    /**
     * What happens to the CometD acknowledgement of a Genesys UpdateRecord (for the record {@code handles} named, or
     * every record when none are): {@code drop} publishes none; {@code delayMs} publishes it that much later;
     * {@code duplicate} publishes it twice; {@code outOfOrder} holds it back until the next one has been published (at most half a second);
     * {@code refuse} leaves the record unchanged, answers {@code statusCode} 0 and publishes an error event instead.
     * {@code forgetClient}: the next that many {@code /meta/connect} answer {@code 402::Unknown client} (the server has
     * forgotten the client and its undelivered messages). Dropped long-poll connections are {@link Disconnects} on
     * path {@code /api/v2/notifications}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Acks(Boolean drop, Long delayMs, Boolean duplicate, Boolean outOfOrder, Boolean refuse,
                       List<Long> handles, Integer forgetClient) {
        boolean appliesTo(long handle) {
            return handles == null || handles.isEmpty() || handles.contains(handle);
        }
    }

    /** A record an agent is handling right now. JSON {@code {"projectid":22,"numberid":3}} or the string "22/3". */
    public record RecordRef(int projectid, long numberid) {
        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public RecordRef(@JsonProperty("projectid") int projectid, @JsonProperty("numberid") long numberid) {
            this.projectid = projectid;
            this.numberid = numberid;
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static RecordRef parse(String text) {
            String[] parts = text.trim().split("[/:]");
            if (parts.length != 2) {
                throw new IllegalArgumentException("expected projectid/numberid, got '" + text + "'");
            }
            return new RecordRef(Integer.parseInt(parts[0].trim()), Long.parseLong(parts[1].trim()));
        }
    }

    // ---- JSON and property forms ----

    /** Reads the JSON form; unknown keys are refused so that typos do not silently disable a fault. */
    public static Faults fromJson(String json) {
        try {
            return json == null || json.isBlank() ? none() : Json.MAPPER.readValue(json, Faults.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid faults: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Set<String> LIST_KEYS = Set.of("statuses", "recordsInCall", "handles");

    /**
     * Reads {@code sandbox.faults.*} properties. {@code sandbox.faults.json} holds the whole JSON form; any other key
     * is a dotted path into it, kebab-case or camelCase ({@code sandbox.faults.errors.every-nth=3}), numeric segments
     * index lists ({@code sandbox.faults.element-errors.0.index=1}), and {@code statuses} / {@code records-in-call}
     * take comma lists ({@code sandbox.faults.records-in-call=22/3,22/4}). Dotted keys override the JSON.
     */
    public static Faults fromProperties(Map<String, String> props) {
        String prefix = "sandbox.faults.";
        ObjectNode root = Json.MAPPER.createObjectNode();
        String json = props.get(prefix + "json");
        if (json != null && !json.isBlank()) {
            JsonNode parsed = Json.parseOrNull(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (!(parsed instanceof ObjectNode)) {
                throw new IllegalArgumentException("sandbox.faults.json is not a JSON object");
            }
            root = (ObjectNode) parsed;
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(props).entrySet()) {
            if (!e.getKey().startsWith(prefix) || e.getKey().equals(prefix + "json")) {
                continue;
            }
            String[] path = e.getKey().substring(prefix.length()).split("\\.");
            put(root, path, e.getValue().trim());
        }
        try {
            return Json.MAPPER.treeToValue(root, Faults.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid sandbox.faults.* properties: " + e.getMessage(), e);
        }
    }

    private static void put(JsonNode root, String[] path, String value) {
        JsonNode node = root;
        for (int i = 0; i < path.length; i++) {
            String key = camel(path[i]);
            boolean last = i == path.length - 1;
            boolean nextIsIndex = !last && path[i + 1].matches("\\d+");
            if (node instanceof ObjectNode object) {
                if (last) {
                    if (LIST_KEYS.contains(key)) {
                        ArrayNode list = object.putArray(key);
                        for (String piece : value.split(",")) {
                            if (!piece.isBlank()) {
                                list.add(piece.trim());
                            }
                        }
                    } else {
                        object.put(key, value);
                    }
                    return;
                }
                JsonNode child = object.get(key);
                if (child == null || !(nextIsIndex ? child.isArray() : child.isObject())) {
                    child = nextIsIndex ? object.putArray(key) : object.putObject(key);
                }
                node = child;
            } else if (node instanceof ArrayNode array) {
                int index = Integer.parseInt(path[i]);
                while (array.size() <= index) {
                    array.addObject();
                }
                if (last) {
                    array.set(index, array.textNode(value));
                    return;
                }
                node = array.get(index);
            }
        }
    }

    private static String camel(String key) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '-' || c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
