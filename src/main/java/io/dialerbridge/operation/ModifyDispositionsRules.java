package io.dialerbridge.operation;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.element.Rejection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static io.dialerbridge.operation.ElementChecks.NODES;
import static io.dialerbridge.operation.ElementChecks.present;
import static io.dialerbridge.operation.ElementChecks.reject;

/**
 * Batch disposition modification ({@code PUT /projects/{id}/records/dispositions}): a selector,
 * {@code numberid} or {@code search} (one object of {@code numberid}, {@code pref_userid},
 * {@code act_status} criteria, all of which must match, or an array of such objects, any of which
 * may match), and the change: {@code dispositionid}, {@code userid}, {@code next_calldate},
 * {@code description}, {@code sendDispositionMessages}; any other key is refused
 * ({@code error.unknown_key}), not dropped. Request-level {@code disposition} defaults and
 * {@code avoid_in_call} come from configuration ({@code projects.<id>.disposition.<key>},
 * {@code projects.<id>.avoid-in-call}) and from the source's request-level object (a whole-request
 * JSON file's {@code disposition}, a Kafka value's {@code default}), which may also carry
 * {@code avoid_in_call}: it goes to the request's top level and wins over the setting.
 * {@code error.record_in_call} is transient: such elements are sent again later.
 */
public final class ModifyDispositionsRules implements OperationRules {

    static final Set<String> SEARCH_KEYS = Set.of("numberid", "pref_userid", "act_status");
    static final Set<String> CHANGE_KEYS = Set.of("dispositionid", "userid", "next_calldate", "description");
    static final Set<String> KEYS = Set.of("numberid", "search", "dispositionid", "userid", "next_calldate", "description",
            "sendDispositionMessages");
    /** The request-level flag a source's disposition object may carry besides {@link #CHANGE_KEYS}. */
    static final String AVOID_IN_CALL = "avoid_in_call";
    static final Set<String> SOURCE_DEFAULT_KEYS = Set.of("dispositionid", "userid", "next_calldate", "description",
            AVOID_IN_CALL);

    @Override
    public Rejection validate(ObjectNode element) {
        Rejection unknown = ElementChecks.unknownKeys("modify-dispositions", "", element, KEYS,
                "an element takes numberid or search, and dispositionid, userid, next_calldate, description, "
                        + "sendDispositionMessages; avoid_in_call is request-level: give it in a JSON file's disposition "
                        + "object, a Kafka value's default object, or set projects.<id>.avoid-in-call");
        if (unknown != null) {
            return unknown;
        }
        boolean hasNumberid = present(element.get("numberid"));
        JsonNode search = element.get("search");
        boolean hasSearch = search != null && !search.isNull();
        if (!hasNumberid && !hasSearch) {
            return reject("error.missing_numberid_or_search",
                    "the element has neither numberid nor search, so no record can be selected");
        }
        if (hasNumberid && hasSearch) {
            return reject("error.ambiguous_selector", "the element has both numberid and search; give exactly one");
        }
        if (hasNumberid && !ElementChecks.isInteger(element.get("numberid"))) {
            return reject("error.wrong_numberid", "numberid must be a whole number, was '"
                    + element.get("numberid").asText() + "'");
        }
        if (hasSearch) {
            List<JsonNode> alternatives = alternatives(search);
            if (alternatives == null || alternatives.isEmpty()) {
                return reject("error.wrong_search", "search must be an object of criteria, or an array of such objects");
            }
            for (JsonNode criteria : alternatives) {
                if (!criteria.isObject() || criteria.isEmpty()) {
                    return reject("error.wrong_search", "every search object needs at least one criterion");
                }
                for (Iterator<String> keys = criteria.fieldNames(); keys.hasNext(); ) {
                    String key = keys.next();
                    if (!SEARCH_KEYS.contains(key)) {
                        return reject("error.wrong_search_key", "search key '" + key
                                + "' is not one of numberid, pref_userid, act_status");
                    }
                }
            }
        }
        return validateChange(element, "");
    }

    @Override
    public Rejection validate(ObjectNode element, ObjectNode sourceDefaults) {
        Rejection own = validate(element);
        if (own != null || sourceDefaults == null) {
            return own;
        }
        Rejection unknown = ElementChecks.unknownKeys("the request-level disposition object of modify-dispositions", "",
                sourceDefaults, SOURCE_DEFAULT_KEYS, "it takes dispositionid, userid, next_calldate, description, "
                        + "avoid_in_call; sendDispositionMessages goes in each element");
        if (unknown != null) {
            return unknown;
        }
        JsonNode avoidInCall = sourceDefaults.get(AVOID_IN_CALL);
        if (avoidInCall != null && !avoidInCall.isNull() && !ElementChecks.isBoolean(avoidInCall)) {
            return reject("error.wrong_avoid_in_call", "the request-level disposition object: avoid_in_call must be true or "
                    + "false, was '" + avoidInCall.asText() + "'");
        }
        return validateChange(sourceDefaults, "the request-level disposition object: ");
    }

    /**
     * Checks configured {@code projects.<id>.disposition.*} defaults: null when they may be sent. Only
     * the keys of the request's {@code disposition} object are taken ({@code avoid_in_call} has its own
     * setting, {@code projects.<id>.avoid-in-call}).
     */
    public static Rejection checkDefaults(ObjectNode configured) {
        Rejection unknown = ElementChecks.unknownKeys("the configured disposition default", "", configured, CHANGE_KEYS,
                "it takes dispositionid, userid, next_calldate, description (avoid_in_call is projects.<id>.avoid-in-call)");
        if (unknown != null) {
            return unknown;
        }
        return validateChange(configured, "the configured disposition default: ");
    }

    /** Checks the change keys of an element, or of a request-level {@code disposition} object. */
    static Rejection validateChange(ObjectNode values, String where) {
        for (String key : List.of("dispositionid", "userid")) {
            JsonNode value = values.get(key);
            if (present(value) && !ElementChecks.isInteger(value)) {
                return reject("error.wrong_" + key, where + key + " must be a whole number, was '" + value.asText() + "'");
            }
        }
        JsonNode date = values.get("next_calldate");
        if (present(date)) {
            String problem = ElementChecks.dateTimeProblem(date.asText().trim());
            if (problem != null) {
                return reject("error.wrong_date_format", where + "next_calldate " + problem);
            }
        } else if (date != null && !date.isNull() && !date.isTextual()) {
            return reject("error.wrong_date_format", where + "next_calldate must be text YYYY-MM-DD HH:MM:SS");
        }
        JsonNode send = values.get("sendDispositionMessages");
        if (present(send) && !ElementChecks.isBoolean(send)) {
            return reject("error.wrong_send_disposition_messages",
                    where + "sendDispositionMessages must be true or false, was '" + send.asText() + "'");
        }
        return null;
    }

    @Override
    public ObjectNode toWire(ObjectNode element) {
        ObjectNode wire = NODES.objectNode();
        if (present(element.get("numberid"))) {
            wire.put("numberid", element.get("numberid").asText().trim());
        } else {
            List<JsonNode> alternatives = alternatives(element.get("search"));
            if (alternatives.size() == 1) {
                wire.set("search", textValues(alternatives.get(0)));
            } else {
                ArrayNode list = wire.putArray("search");
                alternatives.forEach(a -> list.add(textValues(a)));
            }
        }
        changeToWire(element, wire);
        return wire;
    }

    /** The change keys in API form: ids as numbers, the flag as a boolean. */
    static void changeToWire(ObjectNode from, ObjectNode wire) {
        ElementChecks.copy(from, wire, "dispositionid", ElementChecks::asInteger);
        ElementChecks.copy(from, wire, "userid", ElementChecks::asInteger);
        ElementChecks.copy(from, wire, "next_calldate", v -> NODES.textNode(v.asText().trim()));
        ElementChecks.copyText(from, wire, "description");
        ElementChecks.copy(from, wire, "sendDispositionMessages", ElementChecks::asBoolean);
    }

    @Override
    public String batchPath(String projectId) {
        return "/projects/" + projectId + "/records/dispositions";
    }

    @Override
    public String requestDefaultsKey() {
        return "disposition";
    }

    @Override
    public void addRequestSettings(ObjectNode body, ProjectDefaults configured, String projectId) {
        Boolean avoidInCall = configured.avoidInCall(projectId);
        if (body.has("disposition")) {
            ObjectNode given = (ObjectNode) body.get("disposition");
            JsonNode fromSource = given.get(AVOID_IN_CALL);
            if (present(fromSource) && ElementChecks.isBoolean(fromSource)) {
                avoidInCall = ElementChecks.asBoolean(fromSource).booleanValue(); // the source's own wins over the setting
            }
            ObjectNode wire = NODES.objectNode();
            changeToWire(given, wire);
            wire.remove("sendDispositionMessages");
            if (wire.isEmpty()) {
                body.remove("disposition");
            } else {
                body.set("disposition", wire);
            }
        }
        if (avoidInCall != null) {
            body.put("avoid_in_call", avoidInCall);
        }
    }

    @Override
    public boolean isTransient(String error) {
        return "error.record_in_call".equals(error);
    }

    /**
     * The search objects: one object, or an array of them. A CSV file writes several as
     * {@code search.0.act_status}, {@code search.1.pref_userid}: an object whose keys are all digits
     * is read as such an array. Null when {@code search} is neither.
     */
    static List<JsonNode> alternatives(JsonNode search) {
        List<JsonNode> list = new ArrayList<>();
        if (search == null) {
            return null;
        }
        if (search.isArray()) {
            search.forEach(list::add);
            return list;
        }
        if (!search.isObject()) {
            return null;
        }
        boolean numbered = !search.isEmpty();
        for (Iterator<String> keys = search.fieldNames(); keys.hasNext(); ) {
            numbered &= keys.next().matches("\\d+");
        }
        if (numbered) {
            search.forEach(list::add);
        } else {
            list.add(search);
        }
        return list;
    }

    private static ObjectNode textValues(JsonNode criteria) {
        ObjectNode out = NODES.objectNode();
        criteria.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText().trim()));
        return out;
    }
}
