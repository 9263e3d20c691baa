package io.dialerbridge.element;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.operation.Operation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ElementTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void the_record_key_is_the_project_and_the_numberid() throws Exception {
        assertThat(element("{\"numberid\":4,\"form\":{}}").recordKey()).isEqualTo("22:4");
        assertThat(element("{\"numberid\":\"4\",\"search\":{\"name\":\"Jane\"}}").recordKey()).isEqualTo("22:4");
    }

    @Test
    void without_a_numberid_the_record_key_is_the_project_and_the_search() throws Exception {
        assertThat(element("{\"numberid\":\" \",\"search\":{\"name\":\"Jane\"}}").recordKey())
                .isEqualTo("22:{\"name\":\"Jane\"}");
    }

    @Test
    void an_element_naming_no_record_has_no_record_key() throws Exception {
        assertThat(element("{\"form\":{\"city\":\"Szeged\"}}").recordKey()).isNull();
        assertThat(element("{\"numberid\":{\"x\":1},\"search\":null}").recordKey()).isNull();
        assertThat(new Element("k", "22", Operation.MODIFY_RECORDS, null, "not json", SourceRef.fileLine("f", 1), null,
                null).recordKey()).isNull();
    }

    private static Element element(String body) throws Exception {
        return new Element("k", "22", Operation.MODIFY_RECORDS, (ObjectNode) JSON.readTree(body), null,
                SourceRef.fileLine("f", 1), null, null);
    }
}
