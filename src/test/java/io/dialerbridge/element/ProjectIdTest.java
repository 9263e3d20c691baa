package io.dialerbridge.element;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProjectIdTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void takes_a_json_integer_or_a_string_of_digits_and_gives_its_canonical_form() throws Exception {
        assertThat(ProjectId.of(json("22"))).isEqualTo("22");
        assertThat(ProjectId.of(json("\"22\""))).isEqualTo("22");
        assertThat(ProjectId.of(json("\" 22 \""))).isEqualTo("22");
        assertThat(ProjectId.parse("022")).as("leading zeros dropped: the same integer").isEqualTo("22");
        assertThat(ProjectId.parse("9223372036854775807")).isEqualTo("9223372036854775807");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"22?x=1\"", "\"abc\"", "-22", "22.5", "22.0", "1e3", "true", "\"22/../22\"", "\"22#frag\"",
            "\"2%32\"", "\"\"", "\"  \"", "\"../../../../tmp/x\"", "\"22/records/40\"", "0", "\"0\"", "\"000\"", "\"+22\"",
            "\"-22\"", "\"22 23\"", "\"\u0662\u0662\"", "{\"id\":22}", "[22]", "9223372036854775808", "\"9223372036854775808\""})
    void refuses_anything_else_with_a_reason_that_quotes_the_value(String value) throws Exception {
        JsonNode node = json(value);
        assertThatThrownBy(() -> ProjectId.of(node)).isInstanceOf(ProjectId.Invalid.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a positive whole number")
                .hasMessageContaining(node.isTextual() ? JSON.writeValueAsString(node.textValue()) : node.toString());
    }

    @Test
    void an_empty_string_is_quoted_as_a_string_not_called_a_wrong_type() {
        assertThatThrownBy(() -> ProjectId.parse("")).hasMessageStartingWith("projectid \"\" is not a positive whole number");
    }
}
