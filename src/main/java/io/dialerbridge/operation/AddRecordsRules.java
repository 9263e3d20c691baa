package io.dialerbridge.operation;

import io.dialerbridge.dialer.vcc.AddRecordsJournal;
import io.dialerbridge.dialer.vcc.SingleCalls;
import io.dialerbridge.element.Rejection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.dialerbridge.operation.ElementChecks.NODES;
import static io.dialerbridge.operation.ElementChecks.present;
import static io.dialerbridge.operation.ElementChecks.reject;

/**
 * Add record ({@code POST /projects/{id}/records}), one request per element: {@code form} (field
 * values, required), {@code contacts} (keyed "1".."9", each with a {@code phone}), {@code disposition}
 * ({@code dispositionid}, {@code userid}, {@code next_calldate}), {@code phone_field}
 * ({@code phone1}..{@code phone9}) and {@code premium} ({@code price}, {@code commission}).
 * Any other key, at the top level or inside those objects, is refused ({@code error.unknown_key}).
 * The call is not idempotent: {@link SingleCalls} and {@link AddRecordsJournal} make sure a retry
 * does not create a second record.
 */
public final class AddRecordsRules implements OperationRules {

    private static final Pattern PHONE_FIELD = Pattern.compile("^phone[1-9]$");
    private static final Pattern CONTACT_ID = Pattern.compile("^[1-9]$");
    static final Set<String> KEYS = Set.of("form", "contacts", "disposition", "phone_field", "premium");
    static final Set<String> CONTACT_KEYS = Set.of("title", "name", "phone", "email");
    static final Set<String> DISPOSITION_KEYS = Set.of("dispositionid", "userid", "next_calldate");
    static final Set<String> PREMIUM_KEYS = Set.of("price", "commission");

    @Override
    public Rejection validate(ObjectNode element) {
        Rejection unknown = unknownKeys(element);
        if (unknown != null) {
            return unknown;
        }
        JsonNode form = element.get("form");
        if (form == null || !form.isObject() || form.isEmpty()) {
            return reject("error.missing_form", "the element has no form object with the new record's field values");
        }
        Rejection values = ElementChecks.fieldValues("form.", form);
        if (values != null) {
            return values;
        }
        JsonNode contacts = element.get("contacts");
        if (contacts != null && !contacts.isNull()) {
            if (!contacts.isObject()) {
                return reject("error.wrong_contacts", "contacts must be an object keyed by contact id 1 to 9");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = contacts.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> contact = it.next();
                if (!CONTACT_ID.matcher(contact.getKey()).matches() || !contact.getValue().isObject()) {
                    return reject("error.contact_not_exists", "contact '" + contact.getKey()
                            + "' is not a contact id 1 to 9 with an object of title, name, phone, email");
                }
                if (!present(contact.getValue().get("phone"))) {
                    return reject("error.missing_phone", "contact " + contact.getKey() + " has no phone; a phone is required");
                }
                String email = ElementChecks.text(contact.getValue().get("email"));
                if (email != null && !ElementChecks.isEmail(email)) {
                    return reject("error.wrong_email_format", "contact " + contact.getKey() + " email '" + email
                            + "' is not an email address");
                }
            }
        }
        JsonNode disposition = element.get("disposition");
        if (disposition != null && !disposition.isNull()) {
            if (!disposition.isObject()) {
                return reject("error.wrong_disposition", "disposition must be an object of dispositionid, userid, next_calldate");
            }
            Rejection why = ModifyDispositionsRules.validateChange((ObjectNode) disposition, "disposition: ");
            if (why != null) {
                return why;
            }
        }
        JsonNode phoneField = element.get("phone_field");
        if (present(phoneField) && !PHONE_FIELD.matcher(phoneField.asText().trim()).matches()) {
            return reject("error.wrong_phone_field", "phone_field must be phone1 to phone9, was '" + phoneField.asText() + "'");
        }
        JsonNode premium = element.get("premium");
        if (premium != null && !premium.isNull()) {
            if (!premium.isObject()) {
                return reject("error.wrong_premium", "premium must be an object of price and commission");
            }
            for (String key : new String[]{"price", "commission"}) {
                JsonNode value = premium.get(key);
                if (present(value) && !ElementChecks.isNumber(value)) {
                    return reject("error.wrong_premium", "premium " + key + " must be a number, was '" + value.asText() + "'");
                }
            }
        }
        return null;
    }

    /** Keys the request would not carry, at the top level and inside contacts, disposition and premium. */
    private static Rejection unknownKeys(ObjectNode element) {
        Rejection unknown = ElementChecks.unknownKeys("add-records", "", element, KEYS,
                "an element takes form (field values; a CSV column without a dot is a form field), contacts, "
                        + "disposition, phone_field, premium");
        JsonNode contacts = element.get("contacts");
        if (unknown == null && contacts != null && contacts.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = contacts.fields(); unknown == null && it.hasNext(); ) {
                Map.Entry<String, JsonNode> contact = it.next();
                unknown = ElementChecks.unknownKeys("add-records", "contacts." + contact.getKey() + ".", contact.getValue(),
                        CONTACT_KEYS, "a contact takes title, name, phone, email");
            }
        }
        if (unknown == null) {
            unknown = ElementChecks.unknownKeys("add-records", "disposition.", element.get("disposition"), DISPOSITION_KEYS,
                    "the new record's disposition takes dispositionid, userid, next_calldate");
        }
        if (unknown == null) {
            unknown = ElementChecks.unknownKeys("add-records", "premium.", element.get("premium"), PREMIUM_KEYS,
                    "premium takes price, commission");
        }
        return unknown;
    }

    @Override
    public ObjectNode toWire(ObjectNode element) {
        ObjectNode wire = NODES.objectNode();
        wire.set("form", element.get("form"));
        JsonNode contacts = element.get("contacts");
        if (contacts != null && contacts.isObject() && !contacts.isEmpty()) {
            ObjectNode out = wire.putObject("contacts");
            contacts.fields().forEachRemaining(c -> {
                ObjectNode contact = out.putObject(c.getKey());
                for (String key : new String[]{"title", "name", "phone", "email"}) {
                    ElementChecks.copyText((ObjectNode) c.getValue(), contact, key);
                }
            });
        }
        JsonNode disposition = element.get("disposition");
        if (disposition != null && disposition.isObject() && !disposition.isEmpty()) {
            ObjectNode out = NODES.objectNode();
            ModifyDispositionsRules.changeToWire((ObjectNode) disposition, out);
            out.remove("description");
            out.remove("sendDispositionMessages");
            wire.set("disposition", out);
        }
        if (present(element.get("phone_field"))) {
            wire.put("phone_field", element.get("phone_field").asText().trim());
        }
        JsonNode premium = element.get("premium");
        if (premium != null && premium.isObject() && !premium.isEmpty()) {
            ObjectNode out = wire.putObject("premium");
            ElementChecks.copy((ObjectNode) premium, out, "price", ElementChecks::asNumber);
            ElementChecks.copy((ObjectNode) premium, out, "commission", ElementChecks::asNumber);
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
        return new SingleRequest("POST", "/projects/" + projectId + "/records", toWire(element));
    }
}
