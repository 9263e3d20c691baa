package io.dialerbridge.source;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictJsonTest {

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}{\"b\":2}", "{\"a\":1},", "{\"a\":1} // comment", "{\"a\":1}]", "{\"a\":1} garbage",
            "{\"a\":1} {", "[1] 2"})
    void content_after_the_value_is_not_valid_json(String text) {
        assertThatThrownBy(() -> StrictJson.read(text)).isInstanceOf(JacksonException.class);
    }

    @Test
    void a_key_twice_in_one_object_is_refused_naming_the_key() {
        assertThatThrownBy(() -> StrictJson.read("{\"numberid\":\"1\",\"numberid\":\"2\"}"))
                .isInstanceOf(JacksonException.class).hasMessageContaining("'numberid'");
        assertThatThrownBy(() -> StrictJson.read("{\"numberid\":\"1\",\"form\":{\"city\":\"a\",\"city\":\"b\"}}"))
                .isInstanceOf(JacksonException.class).hasMessageContaining("'city'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.00", "1E+3", "1E+400", "12345678901234567890.5", "0.1", "1.0E-400", "12345678901234567890123"})
    void numbers_are_written_back_as_they_were_read(String number) throws JacksonException {
        JsonNode node = StrictJson.read("{\"n\":" + number + "}");
        assertThat(StrictJson.MAPPER.writeValueAsString(node)).isEqualTo("{\"n\":" + number + "}");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(node))
                .isEqualTo("{\"n\":" + number + "}");
    }

    @Test
    void a_decimal_keeps_its_digits_and_scale() throws JacksonException {
        assertThat(StrictJson.read("10.00").decimalValue()).isEqualByComparingTo("10.00");
        assertThat(StrictJson.read("10.00").asText()).isEqualTo("10.00");
        assertThat(StrictJson.read("1e3").asText()).isEqualTo("1E+3");
        assertThat(StrictJson.read("1E400").asText()).isEqualTo("1E+400");
    }
}
