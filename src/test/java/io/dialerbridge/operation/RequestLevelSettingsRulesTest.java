package io.dialerbridge.operation;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.dialer.vcc.BatchRequests;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.element.SourceRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request-level values that come with a source (a JSON file's {@code disposition} object, a Kafka value's
 * {@code default}) reach the request, or the element is refused: never dropped. modify-dispositions'
 * {@code avoid_in_call} was dropped, so records an agent was handling were overwritten.
 */
class RequestLevelSettingsRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModifyDispositionsRules RULES = new ModifyDispositionsRules();

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    private static JsonNode body(Map<String, String> settings, String sourceDefaults) throws Exception {
        ObjectNode defaults = sourceDefaults == null ? null : json(sourceDefaults);
        Element element = new Element("f:1", "22", Operation.MODIFY_DISPOSITIONS, json("{\"numberid\":\"4\"}"), null,
                SourceRef.fileLine("f", 1), defaults, null);
        assertThat(RULES.validate(element.body(), defaults)).as("valid").isNull();
        Batch batch = new Batch("22", Operation.MODIFY_DISPOSITIONS, defaults, List.of(element));
        return JSON.readTree(new BatchRequests(ProjectDefaults.fromProperties(settings)).body(batch));
    }

    @Test
    void avoid_in_call_in_the_sources_disposition_object_goes_to_the_requests_top_level() throws Exception {
        assertThat(body(Map.of(), "{\"dispositionid\":2,\"avoid_in_call\":true}")).isEqualTo(JSON.readTree(
                "{\"elements\":[{\"numberid\":\"4\"}],\"disposition\":{\"dispositionid\":2},\"avoid_in_call\":true}"));
        assertThat(body(Map.of(), "{\"avoid_in_call\":\"true\"}")).as("alone, as CSV-like text: no empty disposition object")
                .isEqualTo(JSON.readTree("{\"elements\":[{\"numberid\":\"4\"}],\"avoid_in_call\":true}"));
    }

    @Test
    void the_sources_avoid_in_call_wins_over_the_setting_and_the_setting_applies_without_it() throws Exception {
        Map<String, String> settings = Map.of("projects.22.avoid-in-call", "true");
        assertThat(body(settings, "{\"avoid_in_call\":false}").path("avoid_in_call").asBoolean(true)).isFalse();
        assertThat(body(settings, "{\"dispositionid\":1}").path("avoid_in_call").asBoolean()).isTrue();
        assertThat(body(settings, null).path("avoid_in_call").asBoolean()).isTrue();
        assertThat(body(Map.of(), null).has("avoid_in_call")).isFalse();
    }

    @Test
    void the_sources_disposition_object_refuses_a_bad_avoid_in_call_and_keys_the_request_would_not_carry() throws Exception {
        ObjectNode element = json("{\"numberid\":\"4\"}");
        Rejection maybe = RULES.validate(element, json("{\"avoid_in_call\":\"maybe\"}"));
        assertThat(maybe.error()).isEqualTo("error.wrong_avoid_in_call");
        assertThat(maybe.message()).contains("maybe");
        Rejection send = RULES.validate(element, json("{\"dispositionid\":1,\"sendDispositionMessages\":true}"));
        assertThat(send.error()).as("the API's disposition object has no sendDispositionMessages").isEqualTo("error.unknown_key");
        assertThat(send.message()).contains("sendDispositionMessages").contains("goes in each element");
        assertThat(RULES.validate(element, json("{\"avoid_in_cal\":true}")).message()).contains("avoid_in_cal");
        assertThat(RULES.validate(element, json("{\"avoid_in_call\":null,\"description\":\"x\"}"))).isNull();
    }

    @Test
    void configured_disposition_defaults_refuse_keys_the_request_would_not_carry_at_start() throws Exception {
        assertThat(ModifyDispositionsRules.checkDefaults(json("{\"sendDispositionMessages\":\"true\"}")).error())
                .isEqualTo("error.unknown_key");
        Rejection avoid = ModifyDispositionsRules.checkDefaults(json("{\"avoid_in_call\":\"true\"}"));
        assertThat(avoid.error()).isEqualTo("error.unknown_key");
        assertThat(avoid.message()).contains("projects.<id>.avoid-in-call");
        assertThat(ModifyDispositionsRules.checkDefaults(json("{\"dispositionid\":\"1\",\"description\":\"d\"}"))).isNull();
    }

    @Test
    void per_element_operations_have_no_request_level_object_and_refuse_one() throws Exception {
        ObjectNode contact = json("{\"numberid\":\"1\",\"contact\":\"1\",\"name\":\"x\"}");
        for (Operation op : List.of(Operation.ADD_RECORDS, Operation.MODIFY_CONTACTS, Operation.UPDATE_OUTBOUND_RECORDS)) {
            assertThat(op.rules().requestDefaultsKey()).isNull();
        }
        assertThat(Operation.MODIFY_CONTACTS.rules().validate(contact, json("{\"title\":\"Dr\"}")).error())
                .isEqualTo("error.unknown_key");
        assertThat(Operation.ADD_RECORDS.rules().validate(json("{\"form\":{\"a\":\"b\"}}"), json("{\"city\":\"Eger\"}")).error())
                .isEqualTo("error.unknown_key");
        assertThat(Operation.MODIFY_RECORDS.rules().validate(json("{\"numberid\":\"1\",\"form\":{\"a\":\"b\"}}"),
                json("{\"city\":\"Eger\"}"))).as("record modification's default is field values").isNull();
    }
}
