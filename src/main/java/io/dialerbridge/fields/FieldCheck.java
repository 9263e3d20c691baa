package io.dialerbridge.fields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.operation.Operation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pre-flight field check of one element against its project's fields (docs/SYNC.md, "Pre-flight
 * field check"): what the dialer would refuse or create, said before anything is sent.
 *
 * <ul>
 *   <li>{@code modify-records}, {@code add-records}: every form field (and, for modify-records, every
 *       field of the file's {@code default} object and of the {@code search} selector) must be a field
 *       of the project, else {@code error.field_not_exists}. A choice value (a {@code simple} field's
 *       text, each {@code |}-separated piece of a {@code multiple} field) that the field does not have
 *       yet would be created by the dialer (contract 1.3): it is listed as a new value, or refused with
 *       {@code error.new_field_value} under {@link NewValues#REFUSE}.</li>
 *   <li>{@code add-records} ({@code disposition.dispositionid}), {@code modify-dispositions}
 *       ({@code dispositionid}, also in the {@code disposition} default): the project must have the
 *       disposition, else {@code error.disposition_not_exists}.</li>
 *   <li>{@code modify-contacts}: contact N of 2 to 9 exists only when the project has field
 *       {@code phoneN}, else {@code error.contact_not_exists}.</li>
 *   <li>{@code update-outbound-records} goes to Genesys, which has no project fields: nothing to check.</li>
 * </ul>
 * The contract's field types are {@code text}, {@code simple} and {@code multiple}: no field is typed
 * as a date or a number, so no form value can be malformed for its type; the one typed value,
 * {@code next_calldate}, is checked by the operation rules ({@code error.wrong_date_format}).
 */
public final class FieldCheck {

    /** {@code fields.new-values}: what to do with a choice value the dialer would create. */
    public enum NewValues {
        ALLOW, REFUSE;

        public static NewValues of(String setting) {
            return switch (setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT)) {
                case "allow" -> ALLOW;
                case "refuse" -> REFUSE;
                default -> throw new IllegalArgumentException("fields.new-values must be allow or refuse, was '" + setting + "'");
            };
        }
    }

    /** The verdict: refused (with why), or passed with the choice values it would create, by field. */
    public record Verdict(Rejection rejection, Map<String, Set<String>> newValues) {
        static final Verdict PASSED = new Verdict(null, Map.of());

        public boolean passed() {
            return rejection == null;
        }
    }

    private FieldCheck() {
    }

    /** Checks one element ({@code body}, with the {@code default} object of its source, or null). */
    public static Verdict check(ProjectFields fields, Operation operation, ObjectNode body, ObjectNode defaults,
                                NewValues newValues) {
        if (body == null) {
            return Verdict.PASSED;
        }
        return switch (operation) {
            case MODIFY_RECORDS, ADD_RECORDS -> checkForm(fields, operation, body, defaults, newValues);
            case MODIFY_DISPOSITIONS -> {
                Rejection why = disposition(fields, body.get("dispositionid"));
                yield new Verdict(why != null ? why : defaults == null ? null : disposition(fields, defaults.get("dispositionid")),
                        Map.of());
            }
            case MODIFY_CONTACTS -> new Verdict(contact(fields, body.get("contact")), Map.of());
            case UPDATE_OUTBOUND_RECORDS -> Verdict.PASSED;
        };
    }

    /** The form fields a CSV column names ({@code city}, {@code form.city}, {@code search.city}), or null. */
    public static String fieldOfColumn(Operation operation, String column) {
        if (operation != Operation.MODIFY_RECORDS && operation != Operation.ADD_RECORDS) {
            return null;
        }
        String[] path = operation.csvPath(column.trim()).split("\\.");
        if (path.length >= 2 && path[0].equals("form")) {
            return path[1];
        }
        if (path.length >= 2 && path[0].equals("search") && operation == Operation.MODIFY_RECORDS
                && !path[1].equals("numberid")) {
            return path[1];
        }
        return null;
    }

    /** The columns of a CSV header that name a form field the project does not have, in header order. */
    public static List<String> unknownColumns(ProjectFields fields, Operation operation, Collection<String> header) {
        List<String> unknown = new ArrayList<>();
        for (String column : header) {
            String field = fieldOfColumn(operation, column);
            if (field != null && !fields.has(field)) {
                unknown.add(column.trim());
            }
        }
        return unknown;
    }

    private static Verdict checkForm(ProjectFields fields, Operation operation, ObjectNode body, ObjectNode defaults,
                                     NewValues policy) {
        List<JsonNode> forms = new ArrayList<>();
        forms.add(body.get("form"));
        if (operation == Operation.MODIFY_RECORDS) {
            forms.add(defaults);
        }
        for (JsonNode form : forms) {
            String unknown = firstUnknown(fields, form);
            if (unknown != null) {
                return refused("error.field_not_exists", "the project has no field '" + unknown + "'");
            }
        }
        JsonNode search = body.get("search");
        if (operation == Operation.MODIFY_RECORDS && search != null && search.isObject()) {
            for (Iterator<String> names = search.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("numberid") && !fields.has(name)) {
                    return refused("error.field_not_exists", "search names field '" + name + "', which the project does not have");
                }
            }
        }
        if (operation == Operation.ADD_RECORDS && body.get("disposition") != null) {
            Rejection why = disposition(fields, body.get("disposition").get("dispositionid"));
            if (why != null) {
                return new Verdict(why, Map.of());
            }
        }
        Map<String, Set<String>> created = new TreeMap<>();
        for (JsonNode form : forms) {
            if (form == null || !form.isObject()) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = form.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String type = fields.type(entry.getKey());
                if ("simple".equals(type) || "multiple".equals(type)) {
                    for (String piece : pieces(type, entry.getValue())) {
                        if (!fields.hasValue(entry.getKey(), piece)) {
                            created.computeIfAbsent(entry.getKey(), k -> new LinkedHashSet<>()).add(piece);
                        }
                    }
                }
            }
        }
        if (!created.isEmpty() && policy == NewValues.REFUSE) {
            Map.Entry<String, Set<String>> first = created.entrySet().iterator().next();
            return refused("error.new_field_value", "field '" + first.getKey() + "' has no value '"
                    + first.getValue().iterator().next() + "' and the dialer would create it (fields.new-values=refuse)");
        }
        return new Verdict(null, created);
    }

    private static String firstUnknown(ProjectFields fields, JsonNode form) {
        if (form != null && form.isObject()) {
            for (Iterator<String> names = form.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!fields.has(name)) {
                    return name;
                }
            }
        }
        return null;
    }

    /**
     * The values a choice field is given, as the dialer reads them (contract 1.3): a {@code simple}
     * field its trimmed text, a {@code multiple} field each {@code |}-separated piece (or each item
     * of an array); empty pieces are ignored.
     */
    static List<String> pieces(String type, JsonNode value) {
        List<String> pieces = new ArrayList<>();
        if (value == null || value.isNull()) {
            return pieces;
        }
        if (value.isArray()) {
            for (JsonNode item : value) {
                if (item.isValueNode() && !item.asText().isBlank()) {
                    pieces.add(item.asText().trim());
                }
            }
        } else if (value.isValueNode()) {
            String text = value.asText();
            for (String piece : "multiple".equals(type) ? text.split("\\|") : new String[] {text}) {
                if (!piece.isBlank()) {
                    pieces.add(piece.trim());
                }
            }
        }
        return "simple".equals(type) && pieces.size() > 1 ? pieces.subList(0, 1) : pieces;
    }

    private static Rejection disposition(ProjectFields fields, JsonNode dispositionid) {
        if (dispositionid == null || dispositionid.isNull() || !dispositionid.isValueNode()
                || dispositionid.asText().isBlank() || fields.hasDisposition(dispositionid.asText())) {
            return null;
        }
        return Rejection.beforeSending("error.disposition_not_exists",
                "the project has no disposition " + dispositionid.asText().trim());
    }

    private static Rejection contact(ProjectFields fields, JsonNode contact) {
        if (contact == null || !contact.isValueNode()) {
            return null;
        }
        String id = contact.asText().trim();
        if (id.matches("[2-9]") && !fields.has("phone" + id)) {
            return Rejection.beforeSending("error.contact_not_exists",
                    "contact " + id + " exists only when the project has field phone" + id + ", and it has not");
        }
        return null;
    }

    private static Verdict refused(String error, String message) {
        return new Verdict(Rejection.beforeSending(error, message), Map.of());
    }
}
