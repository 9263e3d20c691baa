package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Duration;

import static io.dialerbridge.sandbox.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** GWS: login on GET, JSESSIONID cookie, CSRF token, UpdateRecord (contract section 2). */
@Timeout(30)
class GenesysOutboundRecordTest extends SandboxTestSupport {

    static final String VALID = """
            {"operationName":"UpdateRecord","applicationId":211,"campaignName":"Sandbox Campaign",
             "devicePath":"/devices/0f8b3e2a-1c5d-4c1e-9f7a-000000000001","callingList":"Sandbox List",
             "phoneNumber":"+3619999999","timeZone":"Europe/Vienna","phoneType":"Mobile","from":36000,"until":64800,
             "referenceId":"ref-1"}""";

    record Session(String cookie, String csrfHeader, String token) {
    }

    private Session login() throws Exception {
        HttpResponse<String> r = http.send("GET", sandbox.gwsBaseUrl() + "/api/v2/me", null, Duration.ofSeconds(10),
                "Authorization", SandboxHttp.GWS_AUTH);
        assertThat(r.statusCode()).isEqualTo(200);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return new Session(setCookie.substring(0, setCookie.indexOf(';')),
                r.headers().firstValue("X-CSRF-HEADER").orElseThrow(), r.headers().firstValue("X-CSRF-TOKEN").orElseThrow());
    }

    private HttpResponse<String> update(long handle, String body, String... headers) throws Exception {
        return http.send("POST", sandbox.gwsBaseUrl() + "/api/v2/me/outbound-records/" + handle, body,
                Duration.ofSeconds(10), headers);
    }

    private HttpResponse<String> update(Session s, long handle, String body) throws Exception {
        return update(handle, body, "Cookie", s.cookie(), s.csrfHeader(), s.token(), "Content-Type", "application/json");
    }

    @Test
    void login_get_creates_a_session_cookie_and_returns_csrf_header_and_token() throws Exception {
        HttpResponse<String> r = http.send("GET", sandbox.gwsBaseUrl() + "/api/v2/me", null, Duration.ofSeconds(10),
                "Authorization", SandboxHttp.GWS_AUTH);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).matches("JSESSIONID=[0-9A-F]+; Path=/; HttpOnly"));
        assertThat(r.headers().firstValue("X-CSRF-HEADER")).hasValue("X-CSRF-TOKEN");
        assertThat(r.headers().firstValue("X-CSRF-TOKEN")).hasValueSatisfying(t -> assertThat(t).isNotBlank());
        assertThat(json(r).get("statusCode").asInt()).isZero();
    }

    @Test
    void get_without_credentials_answers_401() throws Exception {
        HttpResponse<String> r = http.send("GET", sandbox.gwsBaseUrl() + "/api/v2/me", null, Duration.ofSeconds(10));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).get("statusCode").asInt()).isEqualTo(20);
        HttpResponse<String> wrong = http.send("GET", sandbox.gwsBaseUrl() + "/api/v2/me", null, Duration.ofSeconds(10),
                "Authorization", SandboxHttp.basic("sandbox", "wrong"));
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void get_with_the_session_cookie_reuses_the_session() throws Exception {
        Session s = login();
        HttpResponse<String> r = http.send("GET", sandbox.gwsBaseUrl() + "/api/v2/me", null, Duration.ofSeconds(10),
                "Cookie", s.cookie());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(r.headers().firstValue("X-CSRF-TOKEN")).hasValue(s.token());
    }

    @Test
    void post_without_csrf_token_answers_403_missing_or_invalid_csrf_token() throws Exception {
        Session s = login();
        HttpResponse<String> r = update(101, VALID, "Cookie", s.cookie());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("Missing or invalid Csrf token");
    }

    @Test
    void post_with_wrong_token_or_without_cookie_answers_403() throws Exception {
        Session s = login();
        assertThat(update(101, VALID, "Cookie", s.cookie(), "X-CSRF-TOKEN", "forged").statusCode()).isEqualTo(403);
        assertThat(update(101, VALID, "X-CSRF-TOKEN", s.token(), "Authorization", SandboxHttp.GWS_AUTH).statusCode()).isEqualTo(403);
    }

    @Test
    void update_record_with_cookie_and_token_answers_status_code_0_and_changes_the_record() throws Exception {
        Session s = login();
        HttpResponse<String> r = update(s, 101, VALID);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r)).isEqualTo(json("{\"statusCode\":0}"));
        JsonNode rec = json(http.admin("GET", "/genesys/records/101", null));
        assertThat(rec.get("phoneNumber").asText()).isEqualTo("+3619999999");
        assertThat(rec.get("phoneType").asText()).isEqualTo("Mobile");
        assertThat(rec.get("timeZone").asText()).isEqualTo("Europe/Vienna");
        assertThat(rec.get("from").asInt()).isEqualTo(36000);
        assertThat(rec.get("until").asInt()).isEqualTo(64800);
        assertThat(rec.at("/updates/0/referenceId").asText()).isEqualTo("ref-1");
        assertThat(rec.get("campaignName").asText()).isEqualTo("Sandbox Campaign");
    }

    @Test
    void update_record_of_unknown_handle_is_status_code_6() throws Exception {
        JsonNode r = json(update(login(), 999, VALID));
        assertThat(r.get("statusCode").asInt()).isEqualTo(6);
        assertThat(r.get("statusMessage").asText()).isNotBlank();
    }

    @Test
    void update_record_in_another_campaign_is_status_code_6() throws Exception {
        assertThat(json(update(login(), 101, VALID.replace("\"Sandbox Campaign\"", "\"Other\""))).get("statusCode").asInt()).isEqualTo(6);
    }

    @Test
    void update_record_missing_a_required_parameter_is_status_code_1_and_changes_nothing() throws Exception {
        Session s = login();
        for (String key : new String[]{"operationName", "applicationId", "campaignName", "devicePath"}) {
            String body = VALID.replaceFirst("\"" + key + "\":[^,]+,", "");
            JsonNode r = json(update(s, 101, body));
            assertThat(r.get("statusCode").asInt()).as(key).isEqualTo(1);
            assertThat(r.get("statusMessage").asText()).contains(key);
        }
        assertThat(json(http.admin("GET", "/genesys/records/101", null)).get("updates")).isEmpty();
    }

    @Test
    void update_record_with_unknown_phone_type_is_status_code_10() throws Exception {
        JsonNode r = json(update(login(), 101, VALID.replace("\"Mobile\"", "\"Landline\"")));
        assertThat(r.get("statusCode").asInt()).isEqualTo(10);
        assertThat(json(http.admin("GET", "/genesys/records/101", null)).get("phoneType").asText()).isEqualTo("HomePhone");
    }

    @Test
    void update_record_with_calling_window_outside_the_day_is_status_code_10() throws Exception {
        Session s = login();
        assertThat(json(update(s, 101, VALID.replace("\"from\":36000", "\"from\":-1"))).get("statusCode").asInt()).isEqualTo(10);
        assertThat(json(update(s, 101, VALID.replace("\"until\":64800", "\"until\":86400"))).get("statusCode").asInt()).isEqualTo(10);
        assertThat(json(update(s, 101, VALID.replace("\"until\":64800", "\"until\":86399"))).get("statusCode").asInt()).isZero();
    }

    @Test
    void update_record_with_other_operation_name_is_status_code_10() throws Exception {
        assertThat(json(update(login(), 101, VALID.replace("UpdateRecord", "CancelRecord"))).get("statusCode").asInt()).isEqualTo(10);
    }

    @Test
    void expired_sessions_are_refused_with_403_until_the_client_logs_in_again() throws Exception {
        Session s = login();
        assertThat(http.admin("POST", "/genesys/expire-sessions", null).statusCode()).isEqualTo(200);
        assertThat(update(s, 101, VALID).statusCode()).isEqualTo(403);
        Session again = login();
        assertThat(again.cookie()).isNotEqualTo(s.cookie());
        assertThat(json(update(again, 101, VALID)).get("statusCode").asInt()).isZero();
    }

    @Test
    void session_ttl_fault_expires_sessions() throws Exception {
        http.faults("{\"sessionTtlSeconds\":0}");
        Session s = login();
        assertThat(update(s, 101, VALID).statusCode()).isEqualTo(403);
    }

    @Test
    void reject_credentials_fault_answers_401_on_gws_even_with_a_session() throws Exception {
        Session s = login();
        http.faults("{\"rejectCredentials\":true}");
        assertThat(update(s, 101, VALID).statusCode()).isEqualTo(401);
        assertThat(http.send("GET", sandbox.gwsBaseUrl() + "/api/v2/me", null, Duration.ofSeconds(10),
                "Authorization", SandboxHttp.GWS_AUTH).statusCode()).isEqualTo(401);
        http.admin("DELETE", "/faults", null);
        assertThat(json(update(s, 101, VALID)).get("statusCode").asInt()).isZero();
    }
}
