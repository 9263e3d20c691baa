package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.dialerbridge.sandbox.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Fault injection (contract section 3), set at run time through PUT /sandbox/faults. */
@Timeout(60)
class FaultInjectionTest extends SandboxTestSupport {

    private HttpResponse<String> getRecord() throws Exception {
        return http.vcc("GET", "/projects/22/records/1", null);
    }

    private static String batch(int elements, String city) {
        StringBuilder b = new StringBuilder("{\"elements\":[");
        for (int i = 0; i < elements; i++) {
            b.append(i == 0 ? "" : ",").append("{\"numberid\":\"").append(1 + i % 5).append("\",\"form\":{\"city\":\"")
                    .append(city).append("\"}}");
        }
        return b.append("]}").toString();
    }

    // ---- 5xx answers ----

    @Test
    void errors_next_n_requests_answer_the_chosen_status_then_recover() throws Exception {
        http.faults("{\"errors\":{\"statuses\":[503],\"times\":3,\"retryAfterSeconds\":2}}");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = http.vcc("PUT", "/projects/22/records", batch(1, "Failed"));
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
        }
        assertThat(http.record(22, 1).at("/data/city").asText()).isEqualTo("Budapest");
        assertThat(http.vcc("PUT", "/projects/22/records", batch(1, "Done")).statusCode()).isEqualTo(200);
        assertThat(http.record(22, 1).at("/data/city").asText()).isEqualTo("Done");
    }

    @Test
    void errors_every_nth_request_cycle_through_the_chosen_statuses() throws Exception {
        http.faults("{\"errors\":{\"everyNth\":2,\"statuses\":[500,502]}}");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(getRecord().statusCode());
        }
        assertThat(statuses).containsExactly(200, 500, 200, 502, 200, 500);
    }

    @Test
    void errors_at_a_rate_follow_the_same_sequence_for_the_same_seed() throws Exception {
        String faults = "{\"seed\":7,\"errors\":{\"rate\":0.5}}";
        http.faults(faults);
        List<Integer> first = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            first.add(getRecord().statusCode());
        }
        http.faults(faults);
        List<Integer> second = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            second.add(getRecord().statusCode());
        }
        assertThat(second).isEqualTo(first);
        assertThat(first).contains(200).containsAnyOf(500, 502, 503);
    }

    @Test
    void errors_limited_to_a_path_and_method_leave_other_requests_alone() throws Exception {
        http.faults("{\"errors\":{\"path\":\"/v2/projects/22/records\",\"method\":\"PUT\",\"statuses\":[502]}}");
        assertThat(http.vcc("PUT", "/projects/22/records", batch(1, "x")).statusCode()).isEqualTo(502);
        assertThat(getRecord().statusCode()).isEqualTo(200);
        assertThat(http.vcc("PUT", "/projects/23/records", "{\"elements\":[]}").statusCode()).isEqualTo(200);
    }

    @Test
    void error_answers_are_not_the_json_envelope() throws Exception {
        http.faults("{\"errors\":{\"statuses\":[502],\"times\":1}}");
        HttpResponse<String> r = getRecord();
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(c -> assertThat(c).startsWith("text/html"));
        assertThat(r.body()).contains("502 Bad Gateway");
    }

    // ---- latency ----

    @Test
    void latency_per_element_times_out_a_large_batch_but_not_a_small_one() throws Exception {
        http.faults("{\"latency\":{\"elementMs\":40,\"method\":\"PUT\"}}");
        assertThatThrownBy(() -> http.vcc("PUT", "/projects/22/records", batch(100, "Large"), Duration.ofMillis(1000)))
                .isInstanceOf(HttpTimeoutException.class);
        HttpResponse<String> small = http.vcc("PUT", "/projects/22/records", batch(2, "Small"), Duration.ofMillis(1000));
        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(json(small).get("response")).hasSize(2);
    }

    @Test
    void latency_by_default_applies_the_change_and_only_delays_the_answer() throws Exception {
        http.faults("{\"latency\":{\"requestMs\":5000,\"method\":\"PUT\"}}");
        assertThatThrownBy(() -> http.vcc("PUT", "/projects/22/records", batch(1, "Late"), Duration.ofMillis(300)))
                .isInstanceOf(HttpTimeoutException.class);
        await("the timed-out batch was applied anyway").atMost(Duration.ofSeconds(3))
                .until(() -> http.record(22, 1).at("/data/city").asText().equals("Late"));
    }

    @Test
    void latency_before_processing_delays_the_change_too() throws Exception {
        http.faults("{\"latency\":{\"requestMs\":3000,\"beforeProcessing\":true,\"method\":\"PUT\"}}");
        CompletableFuture<HttpResponse<String>> pending = http.client.sendAsync(HttpRequest.newBuilder(
                        URI.create(sandbox.vccBaseUrl() + "/projects/22/records"))
                .header("Authorization", SandboxHttp.VCC_AUTH)
                .PUT(HttpRequest.BodyPublishers.ofString(batch(1, "Delayed"))).build(), HttpResponse.BodyHandlers.ofString());
        await("the batch reached the sandbox").atMost(Duration.ofSeconds(5))
                .until(() -> json(http.admin("GET", "/requests?path=/v2/projects/22/records", null)).get("requests").size() == 1);
        assertThat(http.record(22, 1).at("/data/city").asText()).isEqualTo("Budapest");
        assertThat(pending.get().statusCode()).isEqualTo(200);
        assertThat(http.record(22, 1).at("/data/city").asText()).isEqualTo("Delayed");
    }

    @Test
    void latency_per_request_delays_every_answer() throws Exception {
        http.faults("{\"latency\":{\"requestMs\":300}}");
        long start = System.nanoTime();
        assertThat(getRecord().statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
    }

    // ---- connections closed mid-response ----

    @Test
    void disconnect_closes_the_connection_mid_response_after_applying_the_change() throws Exception {
        http.faults("{\"disconnects\":{\"times\":1}}");
        assertThatThrownBy(() -> http.vcc("PUT", "/projects/22/records", batch(1, "Cut")))
                .isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
        assertThat(http.record(22, 1).at("/data/city").asText()).isEqualTo("Cut");
    }

    @Test
    void disconnect_before_processing_leaves_the_state_unchanged() throws Exception {
        http.faults("{\"disconnects\":{\"times\":1,\"beforeProcessing\":true}}");
        assertThatThrownBy(() -> http.vcc("PUT", "/projects/22/records", batch(1, "Cut"))).isInstanceOf(IOException.class);
        assertThat(http.record(22, 1).at("/data/city").asText()).isEqualTo("Budapest");
    }

    // ---- hangs ----

    @Test
    void hang_never_answers_until_the_client_gives_up() throws Exception {
        http.faults("{\"hangs\":{\"times\":1}}");
        assertThatThrownBy(() -> http.vcc("GET", "/projects/22/records/1", null, Duration.ofMillis(500)))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(getRecord().statusCode()).isEqualTo(200);
        JsonNode log = json(http.admin("GET", "/requests", null)).get("requests");
        assertThat(log.get(0).get("fault").asText()).isEqualTo("hang");
        assertThat(log.get(0).get("status").asInt()).isZero();
    }

    @Test
    void hang_drops_the_connection_after_max_seconds() throws Exception {
        http.faults("{\"hangs\":{\"times\":1,\"maxSeconds\":1}}");
        long start = System.nanoTime();
        // a PUT, because java.net.http.HttpClient silently retries a GET whose connection was closed
        assertThatThrownBy(() -> http.vcc("PUT", "/projects/22/records", batch(1, "x"), Duration.ofSeconds(30)))
                .isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(900L, 20_000L);
    }

    @Test
    void hanging_requests_do_not_keep_the_sandbox_from_closing() throws Exception {
        Sandbox own = Sandbox.start(SandboxSettings.defaults().withSeedFile(null)
                .withFaults(Faults.fromJson("{\"hangs\":{}}")));
        SandboxHttp ownHttp = new SandboxHttp(own);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < Sandbox.THREADS + 4; i++) {
            pending.add(client.sendAsync(HttpRequest.newBuilder(URI.create(own.vccBaseUrl() + "/projects"))
                    .header("Authorization", SandboxHttp.VCC_AUTH).build(), HttpResponse.BodyHandlers.ofString()));
        }
        await("all requests are hanging").atMost(Duration.ofSeconds(10))
                .until(() -> json(ownHttp.admin("GET", "/requests", null)).get("requests").size() == Sandbox.THREADS + 4);
        assertThat(ownHttp.admin("GET", "/health", null).statusCode()).as("hangs hold no worker thread").isEqualTo(200);
        long start = System.nanoTime();
        own.close();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        for (CompletableFuture<HttpResponse<String>> f : pending) {
            await("the client sees the connection closed").atMost(Duration.ofSeconds(10)).until(f::isDone);
            assertThat(f).isCompletedExceptionally();
        }
    }

    // ---- 429 ----

    @Test
    void rate_limit_answers_429_with_retry_after_past_the_per_project_rate() throws Exception {
        http.faults("{\"rateLimit\":{\"requestsPerSecond\":0.05,\"windowSeconds\":40}}");
        assertThat(getRecord().statusCode()).isEqualTo(200);
        assertThat(getRecord().statusCode()).isEqualTo(200);
        HttpResponse<String> limited = getRecord();
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After").map(Integer::parseInt)).hasValueSatisfying(
                s -> assertThat(s).isBetween(1, 40));
        assertThat(json(limited).at("/errors/0/errormessage").asText()).isEqualTo("error.too_many_requests");
        assertThat(http.vcc("GET", "/projects/23/records/1", null).statusCode()).as("other project").isEqualTo(200);
    }

    @Test
    void rate_limit_uses_the_configured_retry_after_and_can_target_one_project() throws Exception {
        http.faults("{\"rateLimit\":{\"requestsPerSecond\":0.01,\"windowSeconds\":60,\"retryAfterSeconds\":7,\"projectid\":23}}");
        for (int i = 0; i < 3; i++) {
            assertThat(getRecord().statusCode()).isEqualTo(200);
        }
        assertThat(http.vcc("GET", "/projects/23/records/1", null).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = http.vcc("GET", "/projects/23/records/1", null);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
    }

    // ---- element errors ----

    @Test
    void hangs_limited_to_large_batches_let_small_ones_through() throws Exception {
        http.faults("{\"hangs\":{\"minElements\":3,\"maxSeconds\":5}}");
        assertThatThrownBy(() -> http.vcc("PUT", "/projects/22/records", batch(3, "Big"), Duration.ofMillis(500)))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(http.record(22, 1).at("/data/city").asText()).as("a hung batch changes nothing").isNotEqualTo("Big");
        assertThat(json(http.vcc("PUT", "/projects/22/records", batch(2, "Small"))).at("/response/1").asBoolean()).isTrue();
    }

    @Test
    void element_errors_can_leave_an_element_unconfirmed() throws Exception {
        http.faults("{\"elementErrors\":[{\"index\":1,\"effect\":\"omit\"}]}");
        JsonNode r = json(http.vcc("PUT", "/projects/22/records", batch(3, "Linz")));
        assertThat(r).isEqualTo(json("{\"errors\":[],\"response\":{\"0\":true,\"2\":true}}"));
        assertThat(http.record(22, 2).at("/data/city").asText()).isNotEqualTo("Linz");
    }

    @Test
    void element_errors_can_make_the_whole_batch_request_fail_without_indices() throws Exception {
        http.faults("{\"elementErrors\":[{\"field\":\"city\",\"value\":\"poison\",\"effect\":\"reject-request\"}]}");
        HttpResponse<String> r = http.vcc("PUT", "/projects/22/records", """
                {"elements":[{"numberid":"1","form":{"city":"Wels"}},{"numberid":"2","form":{"city":"Poison"}}]}""");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/errors/0/errormessage").asText()).isEqualTo("error.wrong_request_format");
        assertThat(json(r).at("/errors/0/index").isMissingNode()).isTrue();
        assertThat(http.record(22, 1).at("/data/city").asText()).as("nothing applied").isNotEqualTo("Wels");
        assertThat(json(http.vcc("PUT", "/projects/22/records", "{\"elements\":[{\"numberid\":\"1\",\"form\":{\"city\":\"Wels\"}}]}"))
                .at("/response/0").asBoolean()).isTrue();
    }

    @Test
    void element_errors_fail_chosen_indices_with_the_chosen_error() throws Exception {
        http.faults("{\"elementErrors\":[{\"index\":1,\"error\":\"error.chosen\"}]}");
        JsonNode r = json(http.vcc("PUT", "/projects/22/records", batch(3, "Graz")));
        assertThat(r).isEqualTo(json("""
                {"errors":[{"errorcode":417,"errormessage":"error.chosen","index":1}],"response":{"0":true,"2":true}}"""));
        assertThat(http.record(22, 2).at("/data/city").asText()).isEqualTo("Debrecen");
    }

    @Test
    void element_errors_fail_chosen_field_values() throws Exception {
        http.faults("{\"elementErrors\":[{\"field\":\"city\",\"value\":\"nowhere\",\"error\":\"error.bad_city\"}]}");
        JsonNode r = json(http.vcc("PUT", "/projects/22/records", """
                {"elements":[{"numberid":"1","form":{"city":"Nowhere"}},{"numberid":"2","form":{"city":"Somewhere"}}]}"""));
        assertThat(r.at("/errors/0/errormessage").asText()).isEqualTo("error.bad_city");
        assertThat(r.at("/errors/0/index").asInt()).isZero();
        assertThat(r.at("/response/1").asBoolean()).isTrue();
    }

    @Test
    void element_errors_can_be_limited_to_n_occurrences() throws Exception {
        http.faults("{\"elementErrors\":[{\"index\":0,\"times\":1}]}");
        assertThat(json(http.vcc("PUT", "/projects/22/records", batch(1, "A"))).at("/errors/0/errormessage").asText())
                .isEqualTo("error.injected");
        assertThat(json(http.vcc("PUT", "/projects/22/records", batch(1, "A"))).at("/response/0").asBoolean()).isTrue();
    }

    @Test
    void element_errors_apply_to_disposition_batches_and_single_object_calls() throws Exception {
        http.faults("""
                {"elementErrors":[{"operation":"modify-dispositions","field":"dispositionid","value":"3","error":"error.no_dnc"},
                                  {"operation":"add-records","field":"name","error":"error.no_names"}]}""");
        JsonNode d = json(http.vcc("PUT", "/projects/22/records/dispositions",
                "{\"elements\":[{\"numberid\":\"1\",\"dispositionid\":3},{\"numberid\":\"1\",\"dispositionid\":2}]}"));
        assertThat(d.at("/errors/0/errormessage").asText()).isEqualTo("error.no_dnc");
        assertThat(d.at("/response/1").asBoolean()).isTrue();
        HttpResponse<String> add = http.vcc("POST", "/projects/22/records", "{\"form\":{\"name\":\"X\"}}");
        assertThat(add.statusCode()).isEqualTo(417);
        assertThat(json(add).at("/errors/0/errormessage").asText()).isEqualTo("error.no_names");
    }

    // ---- records in call, credentials ----

    @Test
    void records_in_call_fault_makes_avoid_in_call_skip_them() throws Exception {
        http.faults("{\"recordsInCall\":[{\"projectid\":22,\"numberid\":1},\"22/3\"]}");
        JsonNode r = json(http.vcc("PUT", "/projects/22/records/dispositions", """
                {"avoid_in_call":true,"elements":[{"numberid":"1","dispositionid":2},{"numberid":"2","dispositionid":2},
                 {"numberid":"3","dispositionid":2}]}"""));
        assertThat(r.get("errors")).extracting(e -> e.get("index").asInt() + " " + e.get("errormessage").asText())
                .containsExactly("0 error.record_in_call", "2 error.record_in_call");
        assertThat(r.at("/response/1").asBoolean()).isTrue();
        assertThat(http.record(22, 1).get("in_call").asBoolean()).isTrue();
    }

    @Test
    void reject_credentials_answers_401_everywhere_until_cleared() throws Exception {
        http.faults("{\"rejectCredentials\":true}");
        HttpResponse<String> r = getRecord();
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"VCC\"");
        assertThat(json(r).at("/errors/0/errormessage").asText()).isEqualTo("error.unauthorized");
        assertThat(http.vcc("PUT", "/projects/22/records", batch(1, "x")).statusCode()).isEqualTo(401);
        assertThat(http.admin("DELETE", "/faults", null).statusCode()).isEqualTo(200);
        assertThat(getRecord().statusCode()).isEqualTo(200);
    }

    // ---- the admin endpoint itself ----

    @Test
    void get_faults_returns_what_was_put_and_delete_clears_it() throws Exception {
        http.faults("{\"errors\":{\"statuses\":[503],\"times\":2},\"rejectCredentials\":false}");
        assertThat(json(http.admin("GET", "/faults", null))).isEqualTo(json(
                "{\"errors\":{\"statuses\":[503],\"times\":2},\"rejectCredentials\":false}"));
        assertThat(json(http.admin("DELETE", "/faults", null))).isEqualTo(json("{}"));
        assertThat(json(http.admin("GET", "/faults", null))).isEqualTo(json("{}"));
    }

    @Test
    void put_faults_refuses_unknown_keys_and_bad_json_with_400() throws Exception {
        HttpResponse<String> r = http.admin("PUT", "/faults", "{\"errrors\":{}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).contains("errrors");
        assertThat(http.admin("PUT", "/faults", "{nope").statusCode()).isEqualTo(400);
    }

    @Test
    void admin_requests_are_never_faulted() throws Exception {
        http.faults("{\"errors\":{},\"hangs\":{\"path\":\"/nothing\"},\"latency\":{\"requestMs\":5000}}");
        assertThat(http.admin("GET", "/health", null).statusCode()).isEqualTo(200);
        assertThat(getRecord().statusCode()).isEqualTo(500);
    }
}
