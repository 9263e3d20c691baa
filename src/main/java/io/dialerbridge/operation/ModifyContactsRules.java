package io.dialerbridge.operation;

import io.dialerbridge.element.Rejection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

import static io.dialerbridge.operation.ElementChecks.NODES;
import static io.dialerbridge.operation.ElementChecks.present;
import static io.dialerbridge.operation.ElementChecks.reject;

/**
 * Modify contact ({@code PUT /projects/{id}/records/{numberid}/contacts/{contact}}), one request per
 * element: {@code numberid}, {@code contact} (1 to 9) and at least one of {@code title},
 * {@code name}, {@code phone}, {@code email}; the email format is checked before sending. Any other
 * key (a typo such as {@code phonee}) is refused ({@code error.unknown_key}), not dropped.
 */
public final class ModifyContactsRules implements OperationRules {

    static final String[] CONTACT_KEYS = {"title", "name", "phone", "email"};
    static final Set<String> KEYS = Set.of("numberid", "contact", "title", "name", "phone", "email");

    @Override
    public Rejection validate(ObjectNode element) {
        Rejection unknown = ElementChecks.unknownKeys("modify-contacts", "", element, KEYS,
                "an element takes numberid, contact (1 to 9) and title, name, phone, email");
        if (unknown != null) {
            return unknown;
        }
        JsonNode numberid = element.get("numberid");
        if (!present(numberid)) {
            return reject("error.missing_numberid", "the element has no numberid, so no record can be selected");
        }
        if (!ElementChecks.isInteger(numberid)) {
            return reject("error.wrong_numberid", "numberid must be a whole number, was '" + numberid.asText() + "'");
        }
        JsonNode contact = element.get("contact");
        if (!present(contact)) {
            return reject("error.missing_contact", "the element has no contact id (1 to 9)");
        }
        if (!ElementChecks.isInteger(contact) || Long.parseLong(contact.asText().trim()) < 1
                || Long.parseLong(contact.asText().trim()) > 9) {
            return reject("error.contact_not_exists", "contact must be a contact id 1 to 9, was '" + contact.asText() + "'");
        }
        boolean any = false;
        for (String key : CONTACT_KEYS) {
            JsonNode value = element.get(key);
            any |= value != null && !value.isNull();
        }
        if (!any) {
            return reject("error.missing_contact_values", "the element changes nothing: give title, name, phone or email");
        }
        String email = ElementChecks.text(element.get("email"));
        if (email != null && !ElementChecks.isEmail(email)) {
            return reject("error.wrong_email_format", "email '" + email + "' is not an email address");
        }
        return null;
    }

    @Override
    public ObjectNode toWire(ObjectNode element) {
        ObjectNode wire = NODES.objectNode();
        for (String key : CONTACT_KEYS) {
            ElementChecks.copyText(element, wire, key);
        }
        return wire;
    }

    @Override
    public Delivery delivery() {
        return Delivery.VCC_SINGLE;
    }

    @Override
    public String requestDefaultsKey() {
        return null;
    }

    @Override
    public SingleRequest singleRequest(String projectId, ObjectNode element) {
        return new SingleRequest("PUT", "/projects/" + projectId + "/records/" + element.get("numberid").asText().trim()
                + "/contacts/" + Long.parseLong(element.get("contact").asText().trim()), toWire(element));
    }
}
