package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;

import static io.dialerbridge.sandbox.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** PUT /v2/projects/{projectid}/records/dispositions (contract 1.5). */
@Timeout(30)
class BatchDispositionModificationTest extends SandboxTestSupport {

    private JsonNode dispose(String body) throws Exception {
        HttpResponse<String> r = http.vcc("PUT", "/projects/22/records/dispositions", body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        return json(r);
    }

    @Test
    void disposition_modification_sets_disposition_user_next_call_and_appends_an_event() throws Exception {
        JsonNode r = dispose("""
                {"elements":[{"numberid":"2","dispositionid":2,"userid":9,"next_calldate":"2030-05-06 07:08:09",
                              "description":"sold","sendDispositionMessages":true}]}""");
        assertThat(r).isEqualTo(json("{\"errors\":[],\"response\":{\"0\":true}}"));
        JsonNode rec = http.record(22, 2);
        assertThat(rec.get("act_status").asInt()).isEqualTo(2);
        assertThat(rec.get("pref_userid").asInt()).isEqualTo(9);
        assertThat(rec.get("next_calldate").asText()).isEqualTo("2030-05-06 07:08:09");
        assertThat(rec.get("events")).hasSize(1);
        JsonNode event = rec.at("/events/0");
        assertThat(event.get("dispositionid").asInt()).isEqualTo(2);
        assertThat(event.get("description").asText()).isEqualTo("sold");
        assertThat(event.get("send_disposition_messages").asBoolean()).isTrue();
    }

    @Test
    void disposition_modification_default_applies_to_every_element_and_element_values_win() throws Exception {
        dispose("""
                {"disposition":{"dispositionid":1,"userid":7,"next_calldate":"2030-01-01 00:00:00"},
                 "elements":[{"numberid":"2"},{"numberid":"4","dispositionid":3}]}""");
        assertThat(http.record(22, 2).get("act_status").asInt()).isEqualTo(1);
        assertThat(http.record(22, 2).get("pref_userid").asInt()).isEqualTo(7);
        assertThat(http.record(22, 4).get("act_status").asInt()).isEqualTo(3);
        assertThat(http.record(22, 4).get("next_calldate").asText()).isEqualTo("2030-01-01 00:00:00");
    }

    @Test
    void disposition_search_criteria_in_one_object_are_anded() throws Exception {
        dispose("{\"elements\":[{\"search\":{\"act_status\":\"3\",\"pref_userid\":\"7\"},\"dispositionid\":2}]}");
        assertThat(http.record(22, 3).get("act_status").asInt()).isEqualTo(2);
        assertThat(http.record(22, 1).get("act_status").asInt()).isEqualTo(1);
    }

    @Test
    void disposition_search_objects_in_an_array_are_ored() throws Exception {
        JsonNode r = dispose("{\"elements\":[{\"search\":[{\"act_status\":\"3\"},{\"pref_userid\":\"9\"}],\"dispositionid\":1}]}");
        assertThat(r.at("/response/0").asBoolean()).isTrue();
        assertThat(http.record(22, 3).get("act_status").asInt()).isEqualTo(1);
        assertThat(http.record(22, 5).get("act_status").asInt()).isEqualTo(1);
        assertThat(http.record(22, 2).get("act_status").isNull()).isTrue();
    }

    @Test
    void disposition_search_by_numberid_works() throws Exception {
        dispose("{\"elements\":[{\"search\":{\"numberid\":\"4\"},\"dispositionid\":2}]}");
        assertThat(http.record(22, 4).get("act_status").asInt()).isEqualTo(2);
    }

    @Test
    void disposition_element_errors_use_the_sandbox_error_strings() throws Exception {
        JsonNode r = dispose("""
                {"elements":[
                  {"numberid":"1","dispositionid":99},
                  {"numberid":"1","next_calldate":"2030-13-01 00:00:00"},
                  {"dispositionid":1},
                  {"numberid":"999","dispositionid":1},
                  {"search":{"act_status":"42"},"dispositionid":1},
                  {"numberid":"1","userid":12345},
                  {"search":{"city":"Budapest"},"dispositionid":1},
                  {"numberid":"1","next_calldate":"2030-01-01"}
                ]}""");
        assertThat(r.get("response")).isEmpty();
        assertThat(r.get("errors")).extracting(e -> e.get("index").asInt() + " " + e.get("errormessage").asText())
                .containsExactly("0 error.disposition_not_exists", "1 error.wrong_date_format",
                        "2 error.missing_numberid_or_search", "3 error.record_not_exists", "4 error.record_not_found",
                        "5 error.user_not_exists", "6 error.wrong_search_key", "7 error.wrong_date_format");
        assertThat(r.at("/errors/0/errorcode").asInt()).isEqualTo(417);
    }

    @Test
    void disposition_with_avoid_in_call_skips_a_record_in_call_with_record_in_call() throws Exception {
        http.admin("PUT", "/records-in-call", "[{\"projectid\":22,\"numberid\":2}]");
        JsonNode r = dispose("{\"avoid_in_call\":true,\"elements\":[{\"numberid\":\"2\",\"dispositionid\":2},{\"numberid\":\"4\",\"dispositionid\":2}]}");
        assertThat(r).isEqualTo(json("""
                {"errors":[{"errorcode":417,"errormessage":"error.record_in_call","index":0}],"response":{"1":true}}"""));
        assertThat(http.record(22, 2).get("act_status").isNull()).isTrue();
        assertThat(http.record(22, 2).get("in_call").asBoolean()).isTrue();
    }

    @Test
    void record_in_call_is_transient_the_same_element_succeeds_once_the_call_ends() throws Exception {
        http.admin("PUT", "/records-in-call", "[\"22/2\"]");
        String body = "{\"avoid_in_call\":true,\"elements\":[{\"numberid\":\"2\",\"dispositionid\":2}]}";
        assertThat(dispose(body).at("/errors/0/errormessage").asText()).isEqualTo("error.record_in_call");
        http.admin("PUT", "/records-in-call", "[]");
        assertThat(dispose(body).at("/response/0").asBoolean()).isTrue();
    }

    @Test
    void disposition_without_avoid_in_call_changes_a_record_in_call() throws Exception {
        http.admin("PUT", "/records-in-call", "[{\"projectid\":22,\"numberid\":2}]");
        assertThat(dispose("{\"elements\":[{\"numberid\":\"2\",\"dispositionid\":2}]}").at("/response/0").asBoolean()).isTrue();
    }

    @Test
    void disposition_modification_refuses_unreadable_body_and_unknown_project() throws Exception {
        assertThat(http.vcc("PUT", "/projects/22/records/dispositions", "nope").statusCode()).isEqualTo(400);
        assertThat(http.vcc("PUT", "/projects/22/records/dispositions", "{\"disposition\":{}}").statusCode()).isEqualTo(400);
        assertThat(http.vcc("PUT", "/projects/7/records/dispositions", "{\"elements\":[]}").statusCode()).isEqualTo(404);
    }
}
