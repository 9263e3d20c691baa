package io.dialerbridge.batch;

import io.dialerbridge.element.Element;
import io.dialerbridge.mapping.FieldMapping;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.source.PolledRecord;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A Kafka value's request-level {@code default} object is checked with the element (it was not), and kept for the request. */
class KafkaRequestDefaultsTest {

    private static Element element(Operation operation, String value) {
        PollBatcher batcher = new PollBatcher(Map.of("t", operation), 10, PollBatcher.KafkaFormat.ELEMENT, FieldMapping.NONE);
        return batcher.element(new PolledRecord("t", 0, 0, value, null));
    }

    @Test
    void a_modify_dispositions_value_keeps_its_default_avoid_in_call_and_refuses_a_bad_one() {
        Element ok = element(Operation.MODIFY_DISPOSITIONS,
                "{\"projectid\":22,\"numberid\":\"1\",\"dispositionid\":2,\"default\":{\"avoid_in_call\":true}}");
        assertThat(ok.isValid()).isTrue();
        assertThat(ok.defaults().path("avoid_in_call").asBoolean()).isTrue();
        Element bad = element(Operation.MODIFY_DISPOSITIONS,
                "{\"projectid\":22,\"numberid\":\"1\",\"default\":{\"avoid_in_call\":\"sometimes\"}}");
        assertThat(bad.rejection().error()).isEqualTo("error.wrong_avoid_in_call");
    }

    @Test
    void a_value_of_a_per_element_operation_with_a_default_object_is_refused_not_stripped() {
        Element contact = element(Operation.MODIFY_CONTACTS,
                "{\"projectid\":22,\"numberid\":\"1\",\"contact\":\"1\",\"name\":\"x\",\"default\":{\"email\":\"a@b.hu\"}}");
        assertThat(contact.rejection().error()).isEqualTo("error.unknown_key");
        assertThat(contact.rejection().message()).contains("email");
    }
}
