package io.dialerbridge.operation;

import java.util.Arrays;
import java.util.Set;

/**
 * The dialer operations the bridge can carry. The name is the same everywhere: inbox folder,
 * CLI option, Kafka topic suffix, dead letters and reports.
 */
public enum Operation {
    MODIFY_RECORDS("modify-records", Set.of("numberid", "search"), "form", new ModifyRecordsRules()),
    MODIFY_DISPOSITIONS("modify-dispositions", Set.of("numberid", "search", "dispositionid", "userid", "next_calldate",
            "description", "sendDispositionMessages"), null, new ModifyDispositionsRules()),
    ADD_RECORDS("add-records", Set.of("phone_field"), "form", new AddRecordsRules()),
    MODIFY_CONTACTS("modify-contacts", Set.of("numberid", "contact", "title", "name", "phone", "email"), null,
            new ModifyContactsRules()),
    UPDATE_OUTBOUND_RECORDS("update-outbound-records", Set.of("recordHandle", "phoneNumber", "timeZone", "phoneType",
            "from", "until", "applicationId", "campaignName", "devicePath", "callingList"), null,
            new UpdateOutboundRecordsRules());

    private final String id;
    private final Set<String> topLevelKeys;
    private final String freeColumnsInto;
    private final OperationRules rules;

    Operation(String id, Set<String> topLevelKeys, String freeColumnsInto, OperationRules rules) {
        this.id = id;
        this.topLevelKeys = topLevelKeys;
        this.freeColumnsInto = freeColumnsInto;
        this.rules = rules;
    }

    public OperationRules rules() {
        return rules;
    }

    /**
     * Where a CSV column without a dot goes: to the element's top level when it is one of the
     * operation's own keys (such as {@code numberid}), else into this object (such as {@code form}).
     * A column with dots ({@code search.city}, {@code contacts.1.phone}) names its path. Operations
     * without such an object ({@code modify-dispositions}, {@code modify-contacts},
     * {@code update-outbound-records}) take every column at the top level. See docs/OPERATIONS.md.
     */
    public String csvPath(String column) {
        if (column.contains(".") || topLevelKeys.contains(column) || freeColumnsInto == null) {
            return column;
        }
        return freeColumnsInto + "." + column;
    }

    public String id() {
        return id;
    }

    public static Operation fromId(String id) {
        return Arrays.stream(values())
                .filter(op -> op.id.equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown operation '" + id
                        + "' (known: " + String.join(", ", Arrays.stream(values()).map(Operation::id).toList()) + ")"));
    }

    @Override
    public String toString() {
        return id;
    }
}
