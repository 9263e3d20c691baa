package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;

import static io.dialerbridge.sandbox.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** PUT /v2/projects/{projectid}/records (contract 1.3, 1.4, 1.5). */
@Timeout(30)
class BatchRecordModificationTest extends SandboxTestSupport {

    private HttpResponse<String> modify(String body) throws Exception {
        return http.vcc("PUT", "/projects/22/records", body);
    }

    @Test
    void batch_modification_answers_200_with_text_plain_envelope_keyed_by_index() throws Exception {
        HttpResponse<String> r = modify("""
                {"elements":[{"numberid":"1","form":{"city":"Vienna"}},{"numberid":"2","form":{"age":"36"}}]}""");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(json(r)).isEqualTo(json("{\"errors\":[],\"response\":{\"0\":true,\"1\":true}}"));
        assertThat(http.record(22, 1).at("/data/city").asText()).isEqualTo("Vienna");
        assertThat(http.record(22, 2).at("/data/age").asText()).isEqualTo("36");
    }

    @Test
    void batch_modification_reports_partial_success_per_index() throws Exception {
        HttpResponse<String> r = modify("""
                {"elements":[{"numberid":"1","form":{"city":"Vienna"}},{"form":{"city":"Nowhere"}},{"numberid":"3","form":{"city":"Graz"}}]}""");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r)).isEqualTo(json("""
                {"errors":[{"errorcode":417,"errormessage":"error.missing_numberid_or_search","index":1}],
                 "response":{"0":true,"2":true}}"""));
        assertThat(http.record(22, 3).at("/data/city").asText()).isEqualTo("Graz");
    }

    @Test
    void batch_modification_answers_200_even_when_every_element_failed() throws Exception {
        HttpResponse<String> r = modify("{\"elements\":[{\"numberid\":\"999\",\"form\":{\"city\":\"x\"}}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r)).isEqualTo(json("""
                {"errors":[{"errorcode":417,"errormessage":"error.record_not_exists","index":0}],"response":{}}"""));
    }

    @Test
    void batch_modification_refuses_a_body_that_is_not_json_with_400() throws Exception {
        HttpResponse<String> r = modify("this is not json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r)).isEqualTo(json("""
                {"errors":[{"errorcode":400,"errormessage":"error.wrong_request_format"}],"response":false}"""));
    }

    @Test
    void batch_modification_refuses_a_body_without_elements_array_with_400() throws Exception {
        assertThat(modify("{\"default\":{}}").statusCode()).isEqualTo(400);
        assertThat(modify("{\"elements\":{}}").statusCode()).isEqualTo(400);
        assertThat(json(modify("{\"elements\":\"x\"}")).at("/errors/0/errormessage").asText())
                .isEqualTo("error.wrong_request_format");
    }

    @Test
    void batch_modification_of_unknown_project_answers_404_project_not_exists() throws Exception {
        HttpResponse<String> r = http.vcc("PUT", "/projects/999/records", "{\"elements\":[]}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r)).isEqualTo(json("""
                {"errors":[{"errorcode":404,"errormessage":"error.project_not_exists"}],"response":false}"""));
    }

    @Test
    void batch_modification_unknown_numberid_is_record_not_exists() throws Exception {
        JsonNode r = json(modify("{\"elements\":[{\"numberid\":\"4711\",\"form\":{\"city\":\"x\"}},{\"numberid\":\"abc\",\"form\":{\"city\":\"x\"}}]}"));
        assertThat(r.at("/errors/0/errormessage").asText()).isEqualTo("error.record_not_exists");
        assertThat(r.at("/errors/1/errormessage").asText()).isEqualTo("error.record_not_exists");
    }

    @Test
    void batch_modification_accepts_numberid_as_number_too() throws Exception {
        assertThat(json(modify("{\"elements\":[{\"numberid\":5,\"form\":{\"city\":\"Gyor\"}}]}")).at("/response/0").asBoolean()).isTrue();
        assertThat(http.record(22, 5).at("/data/city").asText()).isEqualTo("Gyor");
    }

    @Test
    void batch_modification_form_key_that_is_not_a_field_fails_with_field_not_exists_and_changes_nothing() throws Exception {
        JsonNode r = json(modify("{\"elements\":[{\"numberid\":\"1\",\"form\":{\"city\":\"Vienna\",\"shoe_size\":\"44\"}}]}"));
        assertThat(r).isEqualTo(json("""
                {"errors":[{"errorcode":417,"errormessage":"error.field_not_exists","index":0}],"response":{}}"""));
        assertThat(http.record(22, 1).at("/data/city").asText()).isEqualTo("Budapest");
    }

    @Test
    void batch_modification_element_without_form_fails_with_missing_form() throws Exception {
        assertThat(json(modify("{\"elements\":[{\"numberid\":\"1\"}]}")).at("/errors/0/errormessage").asText())
                .isEqualTo("error.missing_form");
    }

    @Test
    void batch_modification_element_with_both_selectors_fails_with_numberid_and_search() throws Exception {
        assertThat(json(modify("{\"elements\":[{\"numberid\":\"1\",\"search\":{\"city\":\"Budapest\"},\"form\":{\"age\":\"1\"}}]}"))
                .at("/errors/0/errormessage").asText()).isEqualTo("error.numberid_and_search");
    }

    @Test
    void batch_modification_search_updates_every_match() throws Exception {
        JsonNode r = json(modify("{\"elements\":[{\"search\":{\"city\":\" budapest \"},\"form\":{\"address\":\"moved\"}}]}"));
        assertThat(r.at("/response/0").asBoolean()).isTrue();
        assertThat(http.record(22, 1).at("/data/address").asText()).isEqualTo("moved");
        assertThat(http.record(22, 4).at("/data/address").asText()).isEqualTo("moved");
        assertThat(http.record(22, 2).at("/data/address").asText()).isEqualTo("Piac utca 10");
    }

    @Test
    void batch_modification_search_criteria_are_anded() throws Exception {
        modify("{\"elements\":[{\"search\":{\"city\":\"Budapest\",\"name\":\"Maria Nagy\"},\"form\":{\"age\":\"30\"}}]}");
        assertThat(http.record(22, 4).at("/data/age").asText()).isEqualTo("30");
        assertThat(http.record(22, 1).at("/data/age").asText()).isEqualTo("42");
    }

    @Test
    void batch_modification_search_on_a_multiple_field_matches_records_holding_the_value() throws Exception {
        modify("{\"elements\":[{\"search\":{\"likes\":\"sports\"},\"form\":{\"age\":\"0\"}}]}");
        assertThat(http.record(22, 1).at("/data/age").asText()).isEqualTo("0");
        assertThat(http.record(22, 4).at("/data/age").asText()).isEqualTo("0");
        assertThat(http.record(22, 2).at("/data/age").asText()).isEqualTo("35");
    }

    @Test
    void batch_modification_search_without_match_is_record_not_found() throws Exception {
        assertThat(json(modify("{\"elements\":[{\"search\":{\"city\":\"Atlantis\"},\"form\":{\"age\":\"1\"}}]}"))
                .at("/errors/0/errormessage").asText()).isEqualTo("error.record_not_found");
    }

    @Test
    void batch_modification_search_on_unknown_field_is_field_not_exists() throws Exception {
        assertThat(json(modify("{\"elements\":[{\"search\":{\"planet\":\"Mars\"},\"form\":{\"age\":\"1\"}}]}"))
                .at("/errors/0/errormessage").asText()).isEqualTo("error.field_not_exists");
    }

    @Test
    void batch_modification_applies_default_to_every_element_and_element_form_wins() throws Exception {
        modify("""
                {"default":{"city":"Default City","age":"99"},
                 "elements":[{"numberid":"1","form":{"age":"10"}},{"numberid":"2","form":{}}]}""");
        assertThat(http.record(22, 1).at("/data/city").asText()).isEqualTo("Default City");
        assertThat(http.record(22, 1).at("/data/age").asText()).isEqualTo("10");
        assertThat(http.record(22, 2).at("/data/age").asText()).isEqualTo("99");
    }

    @Test
    void batch_modification_applies_elements_in_index_order() throws Exception {
        modify("""
                {"elements":[{"numberid":"1","form":{"city":"First"}},{"numberid":"1","form":{"city":"Second"}}]}""");
        assertThat(http.record(22, 1).at("/data/city").asText()).isEqualTo("Second");
    }

    @Test
    void batch_modification_creates_missing_multiple_values() throws Exception {
        modify("{\"elements\":[{\"numberid\":\"2\",\"form\":{\"likes\":\"sports|movies\"}}]}");
        int sports = http.valueId(22, "likes", "sports");
        int movies = http.valueId(22, "likes", "movies");
        assertThat(movies).isNotIn(1, 2);
        assertThat(http.record(22, 2).at("/data/likes").asText()).isEqualTo(sports + "|" + movies);
    }

    @Test
    void batch_modification_looks_values_up_trimmed_and_ignoring_case_and_skips_empty_pieces() throws Exception {
        modify("{\"elements\":[{\"numberid\":\"3\",\"form\":{\"likes\":\" SPORTS || Music |\"}}]}");
        assertThat(http.record(22, 3).at("/data/likes").asText()).isEqualTo("1|2");
        JsonNode likes = json(http.vcc("GET", "/projects/22", null)).at("/response/fields/4/values");
        assertThat(likes).hasSize(2);
    }

    @Test
    void batch_modification_takes_a_numeric_string_equal_to_a_valueid_as_the_id() throws Exception {
        modify("{\"elements\":[{\"numberid\":\"3\",\"form\":{\"likes\":\"2\"}}]}");
        assertThat(http.record(22, 3).at("/data/likes").asText()).isEqualTo("2");
        modify("{\"elements\":[{\"numberid\":\"3\",\"form\":{\"likes\":\"777\"}}]}");
        int created = http.valueId(22, "likes", "777");
        assertThat(http.record(22, 3).at("/data/likes").asText()).isEqualTo(String.valueOf(created));
    }

    @Test
    void batch_modification_creates_missing_simple_value_and_stores_its_id() throws Exception {
        http.vcc("PUT", "/projects/23/records", "{\"elements\":[{\"numberid\":\"1\",\"form\":{\"segment\":\"Bronze\"}}]}");
        int bronze = http.valueId(23, "segment", "Bronze");
        assertThat(http.record(23, 1).at("/data/segment").asText()).isEqualTo(String.valueOf(bronze));
        http.vcc("PUT", "/projects/23/records", "{\"elements\":[{\"numberid\":\"2\",\"form\":{\"segment\":\"GOLD\"}}]}");
        assertThat(http.record(23, 2).at("/data/segment").asText()).isEqualTo("11");
    }

    @Test
    void batch_modification_with_empty_text_clears_a_multiple_field() throws Exception {
        modify("{\"elements\":[{\"numberid\":\"1\",\"form\":{\"likes\":\"\"}}]}");
        assertThat(http.record(22, 1).at("/data/likes").asText()).isEmpty();
    }
}
