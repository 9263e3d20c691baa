package io.dialerbridge.operation;

import io.dialerbridge.element.Rejection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key an operation does not send is refused ({@code error.unknown_key}, naming it by its path), never
 * dropped while the element counts as accepted: at the top level, and inside the objects whose keys
 * the operation knows (add-records' contacts, disposition, premium).
 */
class UnknownKeysRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    private static Rejection why(Operation operation, String element) throws Exception {
        return operation.rules().validate(json(element));
    }

    @Test
    void modify_records_refuses_contacts_dispositionid_and_a_misspelt_form_naming_each_path() throws Exception {
        Rejection contacts = why(Operation.MODIFY_RECORDS,
                "{\"numberid\":\"1\",\"form\":{\"city\":\"WithContact\"},\"contacts\":{\"1\":{\"phone\":\"+3699\"}}}");
        assertThat(contacts.error()).isEqualTo("error.unknown_key");
        assertThat(contacts.message()).contains("contacts.1.phone").contains("numberid or search, and form")
                .contains("add-records or modify-contacts");
        assertThat(why(Operation.MODIFY_RECORDS, "{\"numberid\":\"1\",\"forms\":{\"city\":\"X\"},\"form\":{\"a\":\"b\"}}")
                .message()).contains("forms.city");
        assertThat(why(Operation.MODIFY_RECORDS, "{\"numberid\":\"1\",\"form\":{\"a\":\"b\"},\"dispositionid\":2}")
                .message()).contains("dispositionid");
        assertThat(why(Operation.MODIFY_RECORDS, "{\"numberid\":\"1\",\"form\":{\"a\":\"b\"},\"projectid\":22}"))
                .as("the bridge reads a Kafka value's projectid").isNull();
        assertThat(why(Operation.MODIFY_RECORDS, "{\"search\":{\"anything\":\"x\"},\"form\":{\"free\":\"y\"}}"))
                .as("form and search keys are fields, checked by the pre-flight field check").isNull();
        Rejection nested = why(Operation.MODIFY_RECORDS, "{\"numberid\":\"1\",\"form\":{\"free\":{\"nested\":1}}}");
        assertThat(nested.error()).as("a value inside form.free, which a field cannot hold").isEqualTo("error.wrong_field_value");
        assertThat(nested.message()).contains("form.free.nested");
    }

    @Test
    void a_csv_row_with_only_a_column_the_operation_cannot_send_is_refused_naming_that_column() throws Exception {
        // what CsvElementReader builds for modify-records from the columns numberid,contacts.1.phone and numberid,city.sub
        Rejection onlyContact = why(Operation.MODIFY_RECORDS, "{\"numberid\":\"1\",\"contacts\":{\"1\":{\"phone\":\"+3699\"}}}");
        assertThat(onlyContact.error()).as("not error.missing_form").isEqualTo("error.unknown_key");
        assertThat(onlyContact.message()).contains("contacts.1.phone");
        Rejection sub = why(Operation.MODIFY_RECORDS, "{\"numberid\":\"1\",\"city\":{\"sub\":\"x\"}}");
        assertThat(sub.error()).isEqualTo("error.unknown_key");
        assertThat(sub.message()).contains("city.sub");
        Operation op = Operation.MODIFY_RECORDS;
        assertThat(op.csvPath("contacts.1.phone")).as("the path the message names is the column").isEqualTo("contacts.1.phone");
    }

    @Test
    void modify_dispositions_refuses_unknown_keys_and_an_element_level_avoid_in_call() throws Exception {
        Rejection avoid = why(Operation.MODIFY_DISPOSITIONS, "{\"numberid\":\"1\",\"dispositionid\":2,\"avoid_in_call\":true}");
        assertThat(avoid.error()).isEqualTo("error.unknown_key");
        assertThat(avoid.message()).contains("avoid_in_call").contains("request-level").contains("projects.<id>.avoid-in-call");
        assertThat(why(Operation.MODIFY_DISPOSITIONS, "{\"numberid\":\"1\",\"dispositon\":2}").message()).contains("dispositon");
        assertThat(why(Operation.MODIFY_DISPOSITIONS, "{\"numberid\":\"1\",\"dispositionid\":2,\"userid\":7,"
                + "\"next_calldate\":\"2030-01-01 00:00:00\",\"description\":\"d\",\"sendDispositionMessages\":true,"
                + "\"projectid\":\"22\"}")).isNull();
    }

    @Test
    void add_records_refuses_unknown_keys_inside_contacts_disposition_and_premium() throws Exception {
        assertThat(why(Operation.ADD_RECORDS, "{\"form\":{\"a\":1},\"contacts\":{\"1\":{\"phone\":\"1\",\"phonee\":\"2\"}}}")
                .message()).contains("contacts.1.phonee").contains("title, name, phone, email");
        assertThat(why(Operation.ADD_RECORDS, "{\"form\":{\"a\":1},\"contacts\":{\"1\":{\"phonee\":\"2\"}}}").error())
                .as("named as unknown, not as a missing phone").isEqualTo("error.unknown_key");
        assertThat(why(Operation.ADD_RECORDS, "{\"form\":{\"a\":1},\"disposition\":{\"dispositionid\":1,\"description\":\"x\"}}")
                .message()).as("add record's disposition has no description").contains("disposition.description");
        assertThat(why(Operation.ADD_RECORDS, "{\"form\":{\"a\":1},\"premium\":{\"price\":1,\"tax\":2}}").message())
                .contains("premium.tax");
        assertThat(why(Operation.ADD_RECORDS, "{\"form\":{\"a\":1},\"numberid\":\"5\"}").message()).contains("numberid");
    }

    @Test
    void modify_contacts_refuses_a_misspelt_contact_key() throws Exception {
        Rejection typo = why(Operation.MODIFY_CONTACTS, "{\"numberid\":\"1\",\"contact\":\"1\",\"phonee\":\"+3611\"}");
        assertThat(typo.error()).as("not error.missing_contact_values").isEqualTo("error.unknown_key");
        assertThat(typo.message()).contains("phonee").contains("title, name, phone, email");
        assertThat(why(Operation.MODIFY_CONTACTS, "{\"numberid\":\"1\",\"contact\":\"1\",\"phone\":\"+3611\",\"name\":\"x\"}"))
                .isNull();
    }

    @Test
    void update_outbound_records_takes_its_genesys_keys_and_operation_name_update_record_only() throws Exception {
        String all = "\"recordHandle\":1,\"phoneNumber\":\"+36\",\"timeZone\":\"Europe/Budapest\",\"phoneType\":\"Mobile\","
                + "\"from\":1,\"until\":2,\"applicationId\":3,\"campaignName\":\"c\",\"devicePath\":\"/devices/x\",\"callingList\":\"l\"";
        assertThat(why(Operation.UPDATE_OUTBOUND_RECORDS, "{" + all + "}")).isNull();
        assertThat(why(Operation.UPDATE_OUTBOUND_RECORDS, "{" + all + ",\"operationName\":\"UpdateRecord\"}")).isNull();
        assertThat(why(Operation.UPDATE_OUTBOUND_RECORDS, "{" + all + ",\"operationName\":\"AddRecord\"}").message())
                .contains("operationName");
        assertThat(why(Operation.UPDATE_OUTBOUND_RECORDS, "{\"recordHandle\":1,\"referenceId\":\"mine\"}").message())
                .contains("referenceId");
    }

    @Test
    void a_per_element_operation_refuses_request_level_defaults_it_would_not_send() throws Exception {
        Rejection why = Operation.MODIFY_CONTACTS.rules().validate(json("{\"numberid\":\"1\",\"contact\":\"1\",\"name\":\"x\"}"),
                json("{\"email\":\"a@b.hu\"}"));
        assertThat(why.error()).isEqualTo("error.unknown_key");
        assertThat(why.message()).contains("email");
        assertThat(Operation.MODIFY_CONTACTS.rules().validate(json("{\"numberid\":\"1\",\"contact\":\"1\",\"name\":\"x\"}"),
                json("{}"))).isNull();
    }

    // --- the invariant: an extra key is either sent (it reaches toWire) or the element is refused, never dropped ---

    @Property(tries = 300)
    void an_extra_key_is_either_carried_to_the_request_or_refused(
            @ForAll("validElementWithExtraKey") Map.Entry<Operation, ObjectNode> given) {
        Operation operation = given.getKey();
        ObjectNode element = given.getValue();
        if (operation.rules().validate(element) != null) {
            return; // refused, with its reason: not lost silently
        }
        OperationRules rules = operation.rules();
        JsonNode body = rules.perElement() ? rules.singleRequest("22", element).body() : rules.toWire(element);
        for (Iterator<String> keys = element.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            boolean inPath = Set.of("numberid", "contact").contains(key) && operation == Operation.MODIFY_CONTACTS
                    || key.equals("recordHandle") && operation == Operation.UPDATE_OUTBOUND_RECORDS;
            boolean readByTheBridge = key.equals("projectid")
                    || key.equals("operationName") && operation == Operation.UPDATE_OUTBOUND_RECORDS;
            assertThat(body.has(key) || inPath || readByTheBridge)
                    .as(key + " of the accepted " + operation + " element " + element + " is in the request " + body).isTrue();
        }
    }

    @Provide
    Arbitrary<Map.Entry<Operation, ObjectNode>> validElementWithExtraKey() {
        Arbitrary<String> key = Arbitraries.oneOf(
                Arbitraries.of("numberid", "search", "form", "forms", "contacts", "contact", "phonee", "phone", "name",
                        "title", "email", "dispositionid", "userid", "next_calldate", "description",
                        "sendDispositionMessages", "avoid_in_call", "default", "disposition", "premium", "phone_field",
                        "recordHandle", "phoneType", "referenceId", "projectid", "error", "city", "operationName"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8));
        Arbitrary<JsonNode> value = Arbitraries.of(JSON.getNodeFactory().textNode("1"), JSON.getNodeFactory().numberNode(2),
                JSON.getNodeFactory().booleanNode(true), JSON.getNodeFactory().textNode("UpdateRecord"), json0("{\"1\":{\"phone\":\"+36\"}}"), json0("{\"x\":\"y\"}"));
        Arbitrary<Operation> operation = Arbitraries.of(Operation.values());
        return Combinators.combine(operation, key, value).as((op, k, v) -> {
            ObjectNode element = base(op);
            element.set(k, v);
            return Map.entry(op, element);
        });
    }

    private static ObjectNode base(Operation op) {
        return switch (op) {
            case MODIFY_RECORDS -> json0("{\"numberid\":\"1\",\"form\":{\"city\":\"Eger\"}}");
            case MODIFY_DISPOSITIONS -> json0("{\"numberid\":\"1\",\"dispositionid\":2}");
            case ADD_RECORDS -> json0("{\"form\":{\"name\":\"A\"}}");
            case MODIFY_CONTACTS -> json0("{\"numberid\":\"1\",\"contact\":\"1\",\"name\":\"x\"}");
            case UPDATE_OUTBOUND_RECORDS -> json0("{\"recordHandle\":1}");
        };
    }

    private static ObjectNode json0(String text) {
        try {
            return json(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
