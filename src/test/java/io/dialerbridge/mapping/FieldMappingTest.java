package io.dialerbridge.mapping;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String YAML = """
            "22":
              modify-records:
                numberid: crm_id
                form:
                  name: full_name
                  city: address.town      # a dotted path into nested input
            """;

    private static FieldMapping mapping(boolean strict) throws Exception {
        Path file = Files.createTempFile("mapping", ".yaml");
        try {
            Files.writeString(file, YAML);
            return FieldMapping.load(file, strict);
        } finally {
            Files.delete(file);
        }
    }

    private static Element element(String project, String json) throws Exception {
        return new Element("f:1", project, Operation.MODIFY_RECORDS, (ObjectNode) JSON.readTree(json), null,
                SourceRef.fileLine("f", 1), null, null);
    }

    @Test
    void maps_fields_by_path_drops_the_rest_and_keeps_the_input_for_dead_letters() throws Exception {
        String input = "{\"crm_id\":\"7\",\"full_name\":\"Kiss Anna\",\"address\":{\"town\":\"Vác\",\"zip\":\"2600\"},\"notes\":\"x\"}";
        Element mapped = mapping(false).apply(element("22", input));

        assertThat(mapped.isValid()).isTrue();
        assertThat(mapped.body()).isEqualTo(JSON.readTree("{\"numberid\":\"7\",\"form\":{\"name\":\"Kiss Anna\",\"city\":\"Vác\"}}"));
        assertThat(mapped.raw()).isEqualTo(JSON.readTree(input).toString());
    }

    @Test
    void a_missing_source_path_leaves_the_target_unset() throws Exception {
        Element mapped = mapping(false).apply(element("22", "{\"crm_id\":\"7\",\"address\":\"not an object\"}"));

        assertThat(mapped.body()).isEqualTo(JSON.readTree("{\"numberid\":\"7\"}"));
    }

    @Test
    void strict_mode_refuses_unmapped_fields_and_names_them() throws Exception {
        Element refused = mapping(true).apply(element("22",
                "{\"projectid\":22,\"crm_id\":\"7\",\"full_name\":\"A\",\"address\":{\"town\":\"Vác\",\"zip\":\"2600\"},\"notes\":\"x\"}"));

        assertThat(refused.rejection().error()).isEqualTo("error.unmapped_field");
        assertThat(refused.rejection().message()).endsWith("address.zip, notes");
        assertThat(mapping(true).apply(element("22", "{\"crm_id\":\"7\",\"address\":{\"town\":\"Vác\"}}")).isValid()).isTrue();
    }

    @Test
    void other_projects_and_operations_pass_as_they_are() throws Exception {
        Element other = element("23", "{\"numberid\":\"1\",\"form\":{\"city\":\"Eger\"}}");

        assertThat(mapping(true).apply(other)).isSameAs(other);
    }

    @Test
    void a_mapping_with_an_unknown_operation_or_a_non_text_source_is_refused() {
        assertThatThrownBy(() -> FieldMapping.of(JSON.readTree("{\"22\":{\"modify-everything\":{\"numberid\":\"id\"}}}"), false, "m.yaml"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldMapping.of(JSON.readTree("{\"22\":{\"modify-records\":{\"numberid\":5}}}"), false, "m.yaml"))
                .hasMessageContaining("numberid");
    }

    @Property(tries = 300)
    void every_mapped_field_is_the_value_at_its_source_path_and_nothing_else_is_kept(
            @ForAll("inputs") Map<String, String> input, @ForAll("names") String town) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        input.forEach(body::put);
        body.putObject("address").put("town", town);
        Element mapped = mapping(false).apply(element("22", body.toString()));

        ObjectNode expected = JSON.createObjectNode();
        if (input.containsKey("crm_id")) {
            expected.put("numberid", input.get("crm_id"));
        }
        ObjectNode form = expected.putObject("form");
        if (input.containsKey("full_name")) {
            form.put("name", input.get("full_name"));
        }
        form.put("city", town);
        assertThat(mapped.body()).isEqualTo(expected);
        assertThat(JSON.readTree(mapped.raw())).isEqualTo(body);
    }

    @Provide
    Arbitrary<Map<String, String>> inputs() {
        return Arbitraries.maps(Arbitraries.of("crm_id", "full_name", "town", "notes", "numberid", "form"), names())
                .ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().ofMaxLength(12);
    }
}
