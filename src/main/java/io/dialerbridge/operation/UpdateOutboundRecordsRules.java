package io.dialerbridge.operation;

import io.dialerbridge.element.Rejection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Set;

import static io.dialerbridge.operation.ElementChecks.NODES;
import static io.dialerbridge.operation.ElementChecks.present;
import static io.dialerbridge.operation.ElementChecks.reject;

/**
 * Genesys UpdateRecord ({@code POST /api/v2/me/outbound-records/{recordHandle}}), one request per
 * element: {@code recordHandle} (required), optional {@code phoneNumber}, {@code timeZone},
 * {@code phoneType}, {@code from}, {@code until}, and the element's own {@code applicationId},
 * {@code campaignName}, {@code devicePath}, {@code callingList}, which win over the configured
 * {@code gws.*} values ({@link #withConfigured}). The {@code referenceId} is set by the bridge. Any
 * other key is refused ({@code error.unknown_key}), not dropped.
 */
public final class UpdateOutboundRecordsRules implements OperationRules {

    public static final Set<String> PHONE_TYPES = Set.of("NoContactType", "HomePhone", "DirectBusinessPhone",
            "BusinessWithExt", "Mobile", "VacationPhone", "Pager", "Modem", "VoiceMail", "PinPager", "EmailAddress",
            "InstantMessaging");
    static final String[] TEXT_KEYS = {"phoneNumber", "timeZone", "phoneType", "campaignName", "devicePath", "callingList"};
    static final Set<String> KEYS = Set.of("recordHandle", "phoneNumber", "timeZone", "phoneType", "from", "until",
            "applicationId", "campaignName", "devicePath", "callingList");
    /** The one operation the bridge sends; an element may name it (as in a Genesys request body), nothing else. */
    static final String OPERATION_NAME = "UpdateRecord";

    @Override
    public Rejection validate(ObjectNode element) {
        ObjectNode own = element;
        if (OPERATION_NAME.equals(ElementChecks.text(element.get("operationName")))) {
            own = element.deepCopy();
            own.remove("operationName");
        }
        Rejection unknown = ElementChecks.unknownKeys("update-outbound-records", "", own, KEYS,
                "an element takes recordHandle, phoneNumber, timeZone, phoneType, from, until, applicationId, "
                        + "campaignName, devicePath, callingList (operationName only as UpdateRecord; the bridge sets "
                        + "referenceId)");
        if (unknown != null) {
            return unknown;
        }
        JsonNode handle = element.get("recordHandle");
        if (!present(handle)) {
            return reject("error.missing_record_handle", "the element has no recordHandle");
        }
        if (!ElementChecks.isInteger(handle)) {
            return reject("error.wrong_record_handle", "recordHandle must be a whole number, was '" + handle.asText() + "'");
        }
        String phoneType = ElementChecks.text(element.get("phoneType"));
        if (phoneType != null && !PHONE_TYPES.contains(phoneType)) {
            return reject("error.wrong_phone_type", "phoneType '" + phoneType + "' is not one of " + String.join(", ",
                    new java.util.TreeSet<>(PHONE_TYPES)));
        }
        for (String key : new String[]{"from", "until"}) {
            JsonNode value = element.get(key);
            if (present(value) && (!ElementChecks.isInteger(value) || Long.parseLong(value.asText().trim()) < 0
                    || Long.parseLong(value.asText().trim()) > 86399)) {
                return reject("error.wrong_" + key, key + " must be seconds after midnight, 0 to 86399, was '"
                        + value.asText() + "'");
            }
        }
        if (present(element.get("from")) && present(element.get("until"))
                && Long.parseLong(element.get("from").asText().trim()) > Long.parseLong(element.get("until").asText().trim())) {
            return reject("error.wrong_calling_window", "from (" + element.get("from").asText() + ") is after until ("
                    + element.get("until").asText() + ")");
        }
        JsonNode applicationId = element.get("applicationId");
        if (present(applicationId) && !ElementChecks.isInteger(applicationId)) {
            return reject("error.wrong_application_id", "applicationId must be a whole number, was '" + applicationId.asText() + "'");
        }
        String devicePath = ElementChecks.text(element.get("devicePath"));
        if (devicePath != null && !validDevicePath(devicePath)) {
            return reject("error.wrong_device_path", "devicePath must look like /devices/<id>, was '" + devicePath + "'");
        }
        return null;
    }

    static boolean validDevicePath(String devicePath) {
        return devicePath.startsWith("/devices/") && devicePath.length() > "/devices/".length();
    }

    @Override
    public ObjectNode toWire(ObjectNode element) {
        ObjectNode wire = NODES.objectNode();
        wire.put("operationName", "UpdateRecord");
        ElementChecks.copy(element, wire, "applicationId", ElementChecks::asInteger);
        for (String key : TEXT_KEYS) {
            ElementChecks.copy(element, wire, key, v -> NODES.textNode(v.asText().trim()));
        }
        ElementChecks.copy(element, wire, "from", ElementChecks::asInteger);
        ElementChecks.copy(element, wire, "until", ElementChecks::asInteger);
        return wire;
    }

    /**
     * The request body: the element's values, the configured ones where the element has none
     * ({@code applicationId}, {@code campaignName}, {@code devicePath}, {@code callingList}), and the
     * {@code referenceId}. Null configured values are skipped.
     */
    public ObjectNode withConfigured(ObjectNode element, Map<String, String> configured, String referenceId) {
        ObjectNode wire = toWire(element);
        configured.forEach((key, value) -> {
            if (value != null && !value.isBlank() && !present(wire.get(key))) {
                wire.set(key, key.equals("applicationId") && ElementChecks.isInteger(NODES.textNode(value))
                        ? ElementChecks.asInteger(NODES.textNode(value)) : NODES.textNode(value.trim()));
            }
        });
        wire.put("referenceId", referenceId);
        return wire;
    }

    /** Null when the request has every parameter Genesys requires, in a valid form; else why not. */
    public Rejection checkRequest(ObjectNode wire) {
        for (String key : new String[]{"applicationId", "campaignName", "devicePath"}) {
            if (!present(wire.get(key))) {
                return reject("error.missing_" + key, key + " is required: give it in the element or set gws."
                        + switch (key) {
                            case "applicationId" -> "application-id";
                            case "campaignName" -> "campaign-name";
                            default -> "device-path";
                        });
            }
        }
        if (!wire.get("applicationId").isIntegralNumber()) {
            return reject("error.wrong_application_id", "applicationId must be a whole number, was '"
                    + wire.get("applicationId").asText() + "'");
        }
        if (!validDevicePath(wire.get("devicePath").asText())) {
            return reject("error.wrong_device_path", "devicePath must look like /devices/<id>, was '"
                    + wire.get("devicePath").asText() + "'");
        }
        return null;
    }

    @Override
    public Delivery delivery() {
        return Delivery.GENESYS_SINGLE;
    }

    @Override
    public String requestDefaultsKey() {
        return null;
    }

    @Override
    public SingleRequest singleRequest(String projectId, ObjectNode element) {
        return new SingleRequest("POST", "/api/v2/me/outbound-records/" + element.get("recordHandle").asText().trim(),
                toWire(element));
    }
}
