package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Duration;

import static io.dialerbridge.sandbox.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The admin API: health, reset, request log, records in call, GWS record inspection. */
@Timeout(30)
class SandboxAdminTest extends SandboxTestSupport {

    @Test
    void health_answers_up() throws Exception {
        HttpResponse<String> r = http.admin("GET", "/health", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r)).isEqualTo(json("{\"status\":\"UP\"}"));
    }

    @Test
    void reset_restores_the_seed_and_clears_faults_log_and_sessions() throws Exception {
        http.vcc("PUT", "/projects/22/records", "{\"elements\":[{\"numberid\":\"1\",\"form\":{\"city\":\"Vienna\",\"likes\":\"chess\"}}]}");
        http.vcc("POST", "/projects/22/records", "{\"form\":{\"name\":\"Extra\"}}");
        http.faults("{\"errors\":{\"path\":\"/api\"}}");
        assertThat(http.admin("POST", "/reset", null).statusCode()).isEqualTo(200);
        assertThat(http.record(22, 1).at("/data/city").asText()).isEqualTo("Budapest");
        assertThat(http.vcc("GET", "/projects/22/records/6", null).statusCode()).isEqualTo(417);
        assertThat(json(http.vcc("GET", "/projects/22", null)).at("/response/fields/4/values")).hasSize(2);
        assertThat(json(http.admin("GET", "/faults", null))).isEqualTo(json("{}"));
        JsonNode log = json(http.admin("GET", "/requests", null)).get("requests");
        assertThat(log).extracting(e -> e.get("path").asText()).containsExactly("/v2/projects/22/records/1",
                "/v2/projects/22/records/6", "/v2/projects/22");
        assertThat(json(http.vcc("POST", "/projects/22/records", "{\"form\":{}}")).at("/response/0").asInt())
                .as("numberids start again after the seed").isEqualTo(6);
    }

    @Test
    void request_log_records_method_path_body_status_time_and_idempotency_key() throws Exception {
        String body = "{\"elements\":[{\"numberid\":\"1\",\"form\":{\"city\":\"Vienna\"}}]}";
        http.vcc("PUT", "/projects/22/records", body, Duration.ofSeconds(10), "Idempotency-Key", "batch-0001");
        JsonNode entry = json(http.admin("GET", "/requests", null)).at("/requests/0");
        assertThat(entry.get("method").asText()).isEqualTo("PUT");
        assertThat(entry.get("path").asText()).isEqualTo("/v2/projects/22/records");
        assertThat(entry.get("body").asText()).isEqualTo(body);
        assertThat(entry.get("status").asInt()).isEqualTo(200);
        assertThat(entry.get("idempotencyKey").asText()).isEqualTo("batch-0001");
        assertThat(entry.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(entry.get("seq").asLong()).isPositive();
    }

    @Test
    void request_log_never_holds_the_authorization_header_or_passwords() throws Exception {
        http.vcc("GET", "/projects/22/records/1", null);
        http.send("GET", sandbox.gwsBaseUrl() + "/api/v2/me", null, Duration.ofSeconds(10), "Authorization", SandboxHttp.GWS_AUTH);
        http.vcc("PUT", "/projects/22/records", "{\"elements\":[],\"password\":\"hunter2\",\"apiToken\":\"abc\"}");
        String log = http.admin("GET", "/requests", null).body();
        assertThat(log).doesNotContain(SandboxHttp.VCC_AUTH.substring(6)).doesNotContainIgnoringCase("authorization")
                .doesNotContain("hunter2").doesNotContain("\\\"abc\\\"").contains("\\\"password\\\":\\\"***\\\"");
    }

    @Test
    void request_log_since_returns_only_newer_entries_and_delete_clears_it() throws Exception {
        http.vcc("GET", "/projects/22/records/1", null);
        long last = json(http.admin("GET", "/requests", null)).get("lastSeq").asLong();
        http.vcc("GET", "/projects/22/records/2", null);
        JsonNode newer = json(http.admin("GET", "/requests?since=" + last, null)).get("requests");
        assertThat(newer).extracting(e -> e.get("path").asText()).containsExactly("/v2/projects/22/records/2");
        assertThat(json(http.admin("GET", "/requests?path=/v2/projects/22/records/1", null)).get("requests")).hasSize(1);
        assertThat(http.admin("DELETE", "/requests", null).statusCode()).isEqualTo(200);
        assertThat(json(http.admin("GET", "/requests", null)).get("requests")).isEmpty();
    }

    @Test
    void request_log_keeps_only_the_last_entries_up_to_its_capacity() throws Exception {
        try (Sandbox small = Sandbox.start(SandboxSettings.defaults().withSeedFile(null), 3)) {
            SandboxHttp smallHttp = new SandboxHttp(small);
            for (int i = 1; i <= 5; i++) {
                smallHttp.vcc("GET", "/projects/22/records/" + i, null);
            }
            JsonNode log = json(smallHttp.admin("GET", "/requests", null));
            assertThat(log.get("capacity").asInt()).isEqualTo(3);
            assertThat(log.get("requests")).extracting(e -> e.get("path").asText())
                    .containsExactly("/v2/projects/22/records/3", "/v2/projects/22/records/4", "/v2/projects/22/records/5");
        }
    }

    @Test
    void records_in_call_can_be_set_and_read_through_the_admin_api() throws Exception {
        assertThat(json(http.admin("PUT", "/records-in-call", "[{\"projectid\":22,\"numberid\":4},\"23/1\"]")))
                .isEqualTo(json("[{\"projectid\":22,\"numberid\":4},{\"projectid\":23,\"numberid\":1}]"));
        assertThat(http.record(22, 4).get("in_call").asBoolean()).isTrue();
        assertThat(json(http.admin("GET", "/records-in-call", null))).hasSize(2);
        assertThat(http.admin("PUT", "/records-in-call", "{\"nope\":1}").statusCode()).isEqualTo(400);
    }

    @Test
    void genesys_records_can_be_listed_and_inspected() throws Exception {
        JsonNode list = json(http.admin("GET", "/genesys/records", null));
        assertThat(list).extracting(r -> r.get("handle").asLong()).containsExactly(101L, 102L, 103L, 104L, 105L);
        assertThat(http.admin("GET", "/genesys/records/101", null).statusCode()).isEqualTo(200);
        assertThat(http.admin("GET", "/genesys/records/999", null).statusCode()).isEqualTo(404);
    }

    @Test
    void unknown_admin_endpoint_answers_404() throws Exception {
        assertThat(http.admin("GET", "/nothing", null).statusCode()).isEqualTo(404);
    }
}
