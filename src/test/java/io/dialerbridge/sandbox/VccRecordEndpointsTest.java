package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;

import static io.dialerbridge.sandbox.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Single-object VCC endpoints: add record, modify contact (1.5) and the inspection endpoints (1.6). */
@Timeout(30)
class VccRecordEndpointsTest extends SandboxTestSupport {

    // ---- GET /v2/projects, /v2/projects/{id} ----

    @Test
    void list_projects_returns_project_summaries() throws Exception {
        HttpResponse<String> r = http.vcc("GET", "/projects", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        JsonNode first = json(r).at("/response/0");
        assertThat(first).isEqualTo(json("""
                {"projectid":22,"name":"Demo project","status":"active","folderid":1,"container":"Sandbox","folder":"Demo"}"""));
        assertThat(json(r).get("errors")).isEmpty();
    }

    @Test
    void get_project_returns_fields_with_values_and_dispositions() throws Exception {
        JsonNode p = json(http.vcc("GET", "/projects/22", null)).get("response");
        assertThat(p.get("fields")).extracting(f -> f.get("name").asText())
                .containsExactly("name", "city", "address", "age", "likes", "phone1", "phone2");
        JsonNode likes = p.at("/fields/4");
        assertThat(likes.get("type").asText()).isEqualTo("multiple");
        assertThat(likes.at("/values/0")).isEqualTo(json("""
                {"valueid":1,"name":"sports","label":"Sports","export_value":"sports","description":"","commission":0.0,"price":0.0}"""));
        assertThat(p.get("dispositions")).extracting(d -> d.get("dispositionid").asInt() + " " + d.get("name").asText())
                .containsExactly("1 callback", "2 sale", "3 do not call");
    }

    @Test
    void get_unknown_project_answers_404_project_not_exists() throws Exception {
        HttpResponse<String> r = http.vcc("GET", "/projects/1234", null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).at("/errors/0/errormessage").asText()).isEqualTo("error.project_not_exists");
        assertThat(json(r).get("response").asBoolean(true)).isFalse();
    }

    @Test
    void unknown_path_answers_404_not_found_and_wrong_method_405() throws Exception {
        assertThat(http.vcc("GET", "/projects/22/nothing", null).statusCode()).isEqualTo(404);
        assertThat(http.vcc("DELETE", "/projects/22/records", null).statusCode()).isEqualTo(405);
    }

    // ---- GET record ----

    @Test
    void get_record_returns_data_contacts_events_and_create_date_with_choice_fields_as_value_ids() throws Exception {
        HttpResponse<String> r = http.vcc("GET", "/projects/22/records/1", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode rec = json(r).get("response");
        assertThat(rec.get("data")).isEqualTo(json("""
                {"name":"John Smith","city":"Budapest","address":"Andrassy ut 1","age":"42","likes":"1|2",
                 "phone1":"+36301234567","phone2":""}"""));
        assertThat(rec.at("/contacts/1")).isEqualTo(json("""
                {"title":"Mr","name":"John Smith","phone":"+36301234567","email":"john.smith@example.com"}"""));
        assertThat(rec.at("/contacts/2/phone").asText()).isEmpty();
        assertThat(rec.has("contacts")).isTrue();
        assertThat(rec.get("events")).isEmpty();
        assertThat(rec.get("create_date").asText()).isEqualTo("2024-01-15 09:00:00");
        assertThat(rec.get("act_status").asInt()).isEqualTo(1);
        assertThat(rec.get("pref_userid").asInt()).isEqualTo(7);
        assertThat(rec.get("in_call").asBoolean()).isFalse();
    }

    @Test
    void get_unknown_record_answers_417_record_not_exists() throws Exception {
        HttpResponse<String> r = http.vcc("GET", "/projects/22/records/404", null);
        assertThat(r.statusCode()).isEqualTo(417);
        assertThat(json(r)).isEqualTo(json("""
                {"errors":[{"errorcode":417,"errormessage":"error.record_not_exists"}],"response":false}"""));
    }

    // ---- POST add record ----

    @Test
    void add_record_returns_the_next_numberid_and_stores_form_contacts_and_disposition() throws Exception {
        HttpResponse<String> r = http.vcc("POST", "/projects/22/records", """
                {"form":{"name":"New Person","city":"Eger","likes":"music|hiking"},
                 "contacts":{"1":{"title":"Dr","name":"New Person","phone":"+3611","email":"new@example.com"},
                             "2":{"phone":"+3622"}},
                 "disposition":{"dispositionid":1,"userid":8,"next_calldate":"2031-02-03 04:05:06"},
                 "phone_field":"phone2","premium":{"price":10,"commission":2.5}}""");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r)).isEqualTo(json("{\"errors\":[],\"response\":[6]}"));
        JsonNode rec = http.record(22, 6);
        int hiking = http.valueId(22, "likes", "hiking");
        assertThat(rec.at("/data/name").asText()).isEqualTo("New Person");
        assertThat(rec.at("/data/likes").asText()).isEqualTo("2|" + hiking);
        assertThat(rec.at("/contacts/1/email").asText()).isEqualTo("new@example.com");
        assertThat(rec.at("/contacts/2/phone").asText()).isEqualTo("+3622");
        assertThat(rec.get("act_status").asInt()).isEqualTo(1);
        assertThat(rec.get("pref_userid").asInt()).isEqualTo(8);
        assertThat(rec.get("next_calldate").asText()).isEqualTo("2031-02-03 04:05:06");
        assertThat(rec.get("phone_field").asText()).isEqualTo("phone2");
        assertThat(rec.at("/premium/commission").asDouble()).isEqualTo(2.5);
        assertThat(rec.get("events")).hasSize(1);
    }

    @Test
    void add_record_is_not_idempotent_the_same_body_twice_creates_two_records() throws Exception {
        String body = "{\"form\":{\"name\":\"Twice\"}}";
        assertThat(json(http.vcc("POST", "/projects/22/records", body)).at("/response/0").asLong()).isEqualTo(6);
        assertThat(json(http.vcc("POST", "/projects/22/records", body)).at("/response/0").asLong()).isEqualTo(7);
        assertThat(http.record(22, 7).at("/data/name").asText()).isEqualTo("Twice");
    }

    @Test
    void add_record_failures_answer_417_with_the_error_and_create_nothing() throws Exception {
        assertFailure("POST", "/projects/22/records", "{\"contacts\":{}}", "error.missing_form");
        assertFailure("POST", "/projects/22/records", "{\"form\":{\"planet\":\"Mars\"}}", "error.field_not_exists");
        assertFailure("POST", "/projects/22/records", "{\"form\":{},\"contacts\":{\"3\":{\"phone\":\"1\"}}}", "error.contact_not_exists");
        assertFailure("POST", "/projects/22/records", "{\"form\":{},\"contacts\":{\"1\":{\"name\":\"no phone\"}}}", "error.missing_phone");
        assertFailure("POST", "/projects/22/records", "{\"form\":{},\"contacts\":{\"1\":{\"phone\":\"1\",\"email\":\"nope\"}}}", "error.wrong_email_format");
        assertFailure("POST", "/projects/22/records", "{\"form\":{},\"disposition\":{\"dispositionid\":42}}", "error.disposition_not_exists");
        assertFailure("POST", "/projects/22/records", "{\"form\":{},\"disposition\":{\"next_calldate\":\"tomorrow\"}}", "error.wrong_date_format");
        assertFailure("POST", "/projects/22/records", "{\"form\":{},\"phone_field\":\"phone7\"}", "error.wrong_phone_field");
        assertThat(http.vcc("GET", "/projects/22/records/6", null).statusCode()).isEqualTo(417);
    }

    @Test
    void add_record_with_unreadable_body_answers_400() throws Exception {
        assertThat(http.vcc("POST", "/projects/22/records", "[1,2").statusCode()).isEqualTo(400);
    }

    // ---- PUT modify contact ----

    @Test
    void modify_contact_updates_the_contact_and_answers_true() throws Exception {
        HttpResponse<String> r = http.vcc("PUT", "/projects/22/records/2/contacts/1",
                "{\"title\":\"Dr\",\"name\":\"Jane D.\",\"phone\":\"+3699\",\"email\":\"jd@example.org\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r)).isEqualTo(json("{\"errors\":[],\"response\":true}"));
        assertThat(http.record(22, 2).at("/contacts/1")).isEqualTo(json("""
                {"title":"Dr","name":"Jane D.","phone":"+3699","email":"jd@example.org"}"""));
    }

    @Test
    void modify_contact_n_exists_only_when_the_project_has_phone_n() throws Exception {
        assertThat(http.vcc("PUT", "/projects/22/records/2/contacts/2", "{\"phone\":\"+3655\"}").statusCode()).isEqualTo(200);
        assertThat(http.record(22, 2).at("/contacts/2/phone").asText()).isEqualTo("+3655");
        assertFailure("PUT", "/projects/22/records/2/contacts/3", "{\"phone\":\"1\"}", "error.contact_not_exists");
        assertFailure("PUT", "/projects/22/records/2/contacts/10", "{\"phone\":\"1\"}", "error.contact_not_exists");
    }

    @Test
    void modify_contact_with_bad_email_is_wrong_email_format() throws Exception {
        assertFailure("PUT", "/projects/22/records/1/contacts/1", "{\"email\":\"not-an-email\"}", "error.wrong_email_format");
        assertThat(http.record(22, 1).at("/contacts/1/email").asText()).isEqualTo("john.smith@example.com");
    }

    @Test
    void modify_contact_of_unknown_record_is_record_not_exists() throws Exception {
        assertFailure("PUT", "/projects/22/records/99/contacts/1", "{\"phone\":\"1\"}", "error.record_not_exists");
    }

    // ---- PUT modify one record ----

    @Test
    void modify_one_record_takes_a_flat_field_body() throws Exception {
        HttpResponse<String> r = http.vcc("PUT", "/projects/22/records/3", "{\"city\":\"Sopron\",\"likes\":\"music\"}");
        assertThat(json(r)).isEqualTo(json("{\"errors\":[],\"response\":true}"));
        assertThat(http.record(22, 3).at("/data/city").asText()).isEqualTo("Sopron");
        assertThat(http.record(22, 3).at("/data/likes").asText()).isEqualTo("2");
    }

    @Test
    void modify_one_record_failures_answer_417() throws Exception {
        assertFailure("PUT", "/projects/22/records/3", "{\"planet\":\"Mars\"}", "error.field_not_exists");
        assertFailure("PUT", "/projects/22/records/333", "{\"city\":\"x\"}", "error.record_not_exists");
    }

    // ---- POST add field ----

    @Test
    void add_field_returns_the_new_fieldid_and_the_field_is_usable() throws Exception {
        HttpResponse<String> r = http.vcc("POST", "/projects/22/fields",
                "{\"name\":\"colour\",\"type\":\"simple\",\"label\":\"Colour\",\"values\":[\"red\",{\"name\":\"blue\",\"label\":\"Blue\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r)).isEqualTo(json("{\"errors\":[],\"response\":8}"));
        JsonNode field = json(http.vcc("GET", "/projects/22", null)).at("/response/fields/7");
        assertThat(field.get("name").asText()).isEqualTo("colour");
        assertThat(field.get("values")).extracting(v -> v.get("name").asText()).containsExactly("red", "blue");
        http.vcc("PUT", "/projects/22/records", "{\"elements\":[{\"numberid\":\"1\",\"form\":{\"colour\":\"blue\"}}]}");
        assertThat(http.record(22, 1).at("/data/colour").asText()).isEqualTo(String.valueOf(http.valueId(22, "colour", "blue")));
    }

    @Test
    void add_field_failures_answer_417() throws Exception {
        assertFailure("POST", "/projects/22/fields", "{\"name\":\"city\",\"type\":\"text\"}", "error.field_exists");
        assertFailure("POST", "/projects/22/fields", "{\"name\":\"Bad Name\",\"type\":\"text\"}", "error.wrong_field_name");
        assertFailure("POST", "/projects/22/fields", "{\"name\":\"ok\",\"type\":\"date\"}", "error.wrong_field_type");
    }

    private void assertFailure(String method, String path, String body, String error) throws Exception {
        HttpResponse<String> r = http.vcc(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + " " + body).isEqualTo(417);
        assertThat(json(r)).as(body).isEqualTo(json(
                "{\"errors\":[{\"errorcode\":417,\"errormessage\":\"" + error + "\"}],\"response\":false}"));
    }
}
