package io.dialerbridge.fields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.operation.Operation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.dialerbridge.fields.FieldCheck.NewValues.ALLOW;
import static io.dialerbridge.fields.FieldCheck.NewValues.REFUSE;
import static org.assertj.core.api.Assertions.assertThat;

/** The pre-flight field check of one element, against a project described as the dialer describes it. */
class FieldCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final ProjectFields FIELDS = ProjectFields.of(json("""
            {"fields":[{"name":"city","type":"text","values":[]},
             {"name":"segment","type":"simple","values":[{"valueid":11,"name":"gold","label":"Gold"},{"valueid":12,"name":"silver","label":"Silver"}]},
             {"name":"likes","type":"multiple","values":[{"valueid":1,"name":"sports","label":"Sports"},{"valueid":2,"name":"music","label":"Music"}]},
             {"name":"phone1","type":"text"},{"name":"phone2","type":"text"}],
             "dispositions":[{"dispositionid":1,"name":"callback"},{"dispositionid":2,"name":"sale"}]}
            """));

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static FieldCheck.Verdict check(Operation operation, String body, FieldCheck.NewValues policy) {
        return FieldCheck.check(FIELDS, operation, (ObjectNode) json(body), null, policy);
    }

    private static String error(Operation operation, String body, FieldCheck.NewValues policy) {
        Rejection why = check(operation, body, policy).rejection();
        return why == null ? null : why.error() + ": " + why.message();
    }

    @Test
    void a_form_or_search_field_the_project_lacks_is_refused_naming_it() {
        assertThat(error(Operation.MODIFY_RECORDS, "{\"numberid\":\"1\",\"form\":{\"city\":\"Eger\",\"shoe_size\":\"44\"}}", ALLOW))
                .isEqualTo("error.field_not_exists: the project has no field 'shoe_size'");
        assertThat(error(Operation.MODIFY_RECORDS, "{\"search\":{\"citty\":\"Eger\"},\"form\":{\"city\":\"Vác\"}}", ALLOW))
                .startsWith("error.field_not_exists: search names field 'citty'");
        assertThat(error(Operation.MODIFY_RECORDS, "{\"search\":{\"numberid\":\"1\"},\"form\":{\"city\":\"Vác\"}}", ALLOW)).isNull();
        assertThat(error(Operation.ADD_RECORDS, "{\"form\":{\"name\":\"X\",\"phone1\":\"1\"}}", ALLOW))
                .isEqualTo("error.field_not_exists: the project has no field 'name'");
        assertThat(FieldCheck.check(FIELDS, Operation.MODIFY_RECORDS, (ObjectNode) json("{\"numberid\":\"1\",\"form\":{\"city\":\"A\"}}"),
                (ObjectNode) json("{\"zip\":\"2600\"}"), ALLOW).rejection().message()).isEqualTo("the project has no field 'zip'");
    }

    @Test
    void choice_values_the_field_lacks_are_listed_with_allow_and_refused_with_refuse() {
        FieldCheck.Verdict allowed = check(Operation.MODIFY_RECORDS,
                "{\"numberid\":\"1\",\"form\":{\"segment\":\" GOLD \",\"likes\":\"sports| chess ||Music|11\"}}", ALLOW);
        assertThat(allowed.passed()).isTrue();
        assertThat(allowed.newValues()).isEqualTo(Map.of("likes", Set.of("chess", "11")));
        assertThat(check(Operation.MODIFY_RECORDS, "{\"numberid\":\"1\",\"form\":{\"segment\":\"12\",\"likes\":[\"2\",\"sports\"]}}", REFUSE)
                .newValues()).isEmpty();
        assertThat(error(Operation.MODIFY_RECORDS, "{\"numberid\":\"1\",\"form\":{\"segment\":\"platinum\"}}", REFUSE))
                .isEqualTo("error.new_field_value: field 'segment' has no value 'platinum' and the dialer would create it "
                        + "(fields.new-values=refuse)");
        // a simple field takes its whole text: a | is part of the value
        assertThat(check(Operation.ADD_RECORDS, "{\"form\":{\"segment\":\"gold|silver\"}}", ALLOW).newValues())
                .isEqualTo(Map.of("segment", Set.of("gold|silver")));
    }

    @Test
    void dispositions_and_contact_slots_are_checked_against_the_project() {
        assertThat(error(Operation.MODIFY_DISPOSITIONS, "{\"numberid\":\"1\",\"dispositionid\":7}", ALLOW))
                .isEqualTo("error.disposition_not_exists: the project has no disposition 7");
        assertThat(error(Operation.MODIFY_DISPOSITIONS, "{\"numberid\":\"1\",\"dispositionid\":\"2\"}", ALLOW)).isNull();
        assertThat(error(Operation.ADD_RECORDS, "{\"form\":{\"city\":\"A\"},\"disposition\":{\"dispositionid\":3}}", ALLOW))
                .startsWith("error.disposition_not_exists");
        assertThat(error(Operation.MODIFY_CONTACTS, "{\"numberid\":1,\"contact\":2,\"name\":\"N\"}", ALLOW)).isNull();
        assertThat(error(Operation.MODIFY_CONTACTS, "{\"numberid\":1,\"contact\":3,\"name\":\"N\"}", ALLOW))
                .startsWith("error.contact_not_exists: contact 3 exists only when the project has field phone3");
        assertThat(error(Operation.UPDATE_OUTBOUND_RECORDS, "{\"recordHandle\":1,\"anything\":\"x\"}", REFUSE)).isNull();
    }

    @Test
    void csv_columns_map_to_form_and_search_fields_as_the_reader_places_them() {
        assertThat(FieldCheck.unknownColumns(FIELDS, Operation.MODIFY_RECORDS,
                List.of("numberid", "city", "form.citty", "search.zip", "search.numberid", "contacts.1.phone", "likes")))
                .containsExactly("form.citty", "search.zip");
        assertThat(FieldCheck.unknownColumns(FIELDS, Operation.ADD_RECORDS, List.of("phone_field", "city", "town")))
                .containsExactly("town");
        assertThat(FieldCheck.unknownColumns(FIELDS, Operation.MODIFY_DISPOSITIONS, List.of("numberid", "dispositionid")))
                .isEmpty();
    }
}
