package io.dialerbridge.operation;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.element.Rejection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * Batch record modification: a {@code form} of field values and exactly one selector,
 * {@code numberid} or {@code search}. Any other key (a typo such as {@code forms}, or
 * {@code contacts}, which only add-records and modify-contacts send) is refused, not dropped.
 */
public final class ModifyRecordsRules implements OperationRules {

    static final Set<String> KEYS = Set.of("numberid", "search", "form");

    @Override
    public Rejection validate(ObjectNode element) {
        Rejection unknown = ElementChecks.unknownKeys("modify-records", "", element, KEYS,
                "an element takes numberid or search, and form (field values; a CSV column without a dot is a form "
                        + "field); contacts go with add-records or modify-contacts, dispositions with modify-dispositions");
        if (unknown != null) {
            return unknown;
        }
        boolean hasNumberid = present(element.get("numberid"));
        JsonNode search = element.get("search");
        boolean hasSearch = search != null && !search.isNull();
        if (!hasNumberid && !hasSearch) {
            return Rejection.beforeSending("error.missing_numberid_or_search",
                    "the element has neither numberid nor search, so no record can be selected");
        }
        if (hasNumberid && hasSearch) {
            return Rejection.beforeSending("error.ambiguous_selector",
                    "the element has both numberid and search; give exactly one");
        }
        if (hasNumberid && !element.get("numberid").isValueNode()) {
            return Rejection.beforeSending("error.wrong_numberid", "numberid must be a number or a string");
        }
        if (hasSearch && (!search.isObject() || search.isEmpty())) {
            return Rejection.beforeSending("error.wrong_search",
                    "search must be an object with at least one field → value criterion");
        }
        JsonNode form = element.get("form");
        if (form == null || !form.isObject() || form.isEmpty()) {
            return Rejection.beforeSending("error.missing_form",
                    "the element has no form object with the field values to write");
        }
        Rejection values = ElementChecks.fieldValues("form.", form);
        return values != null ? values : ElementChecks.fieldValues("search.", search);
    }

    @Override
    public ObjectNode toWire(ObjectNode element) {
        ObjectNode wire = JsonNodeFactory.instance.objectNode();
        if (present(element.get("numberid"))) {
            wire.put("numberid", element.get("numberid").asText());
        } else {
            wire.set("search", element.get("search"));
        }
        wire.set("form", element.get("form"));
        return wire;
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !(node.isTextual() && node.asText().isBlank());
    }
}
