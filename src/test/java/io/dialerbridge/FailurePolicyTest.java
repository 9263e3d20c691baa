package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The failure policy against the sandbox's fault injection: real routes, real HTTP, real files. */
@Timeout(120)
class FailurePolicyTest extends BridgeEndToEndSupport {

    @Test
    void every_element_is_applied_once_through_503s_429_bursts_and_hung_requests() throws Exception {
        harness.startBridge(Map.of("batch.max-elements", "50", "retry.max-retries", "20",
                "vcc.response-timeout", "1000", "retry.max-retry-after", "2"), true);
        harness.faults("""
                {"seed":7,
                 "errors":{"statuses":[503],"rate":0.1,"path":"/v2/projects/22/records","method":"PUT"},
                 "rateLimit":{"requestsPerSecond":15,"retryAfterSeconds":1,"projectid":22},
                 "hangs":{"times":2,"everyNth":5,"path":"/v2/projects/22/records","method":"PUT","maxSeconds":5}}""");

        harness.drop("22", "modify-records", "storm.ndjson", BridgeHarness.distinctElements(1000));

        JsonNode report = harness.awaitReport("22", "modify-records", "storm.ndjson", Duration.ofSeconds(90));
        assertThat(report.path("accepted").asLong()).isEqualTo(1000);
        assertThat(report.path("deadLettered").asLong()).isZero();
        assertThat(harness.deadLetters()).isEmpty();
        Map<String, Integer> applied = harness.appliedCounts();
        assertThat(applied).hasSize(1000);
        assertThat(applied.values()).allMatch(times -> times == 1);
        List<String> faults = harness.requests().stream().map(r -> r.path("fault").asText("")).toList();
        assertThat(faults).as("the faults really fired").contains("error", "hang", "rate-limit");
    }

    @Test
    void gives_up_after_the_retry_budget_and_dead_letters_with_the_last_error_and_attempts() throws Exception {
        harness.startBridge(Map.of("retry.max-retries", "2"), true);
        harness.faults("{\"errors\":{\"statuses\":[502],\"path\":\"/v2/projects/22/records\"}}");

        harness.drop("22", "modify-records", "down.ndjson", BridgeHarness.distinctElements(3));

        JsonNode report = harness.awaitReport("22", "modify-records", "down.ndjson", Duration.ofSeconds(90));
        assertThat(report.path("deadLettered").asLong()).isEqualTo(3);
        List<JsonNode> letters = harness.deadLetters();
        assertThat(letters).hasSize(3).allSatisfy(letter -> {
            assertThat(letter.path("error").asText()).isEqualTo("error.dialer_unavailable");
            assertThat(letter.path("attempts").asInt()).isEqualTo(3);
            assertThat(letter.path("httpStatus").asInt()).isEqualTo(502);
            assertThat(letter.path("errorMessage").asText()).contains("502");
        });
        assertThat(harness.appliedCounts()).isEmpty();
    }

    @Test
    void a_retry_after_of_an_hour_is_capped_and_reported() throws Exception {
        Bridge bridge = harness.startBridge(Map.of("retry.max-retry-after", "1"), true);
        harness.admin("PUT", "faults",
                "{\"errors\":{\"statuses\":[429],\"retryAfterSeconds\":3600,\"times\":1,\"path\":\"/v2/projects/22/records\"}}");

        harness.drop("22", "modify-records", "patience.ndjson", BridgeHarness.distinctElements(5));

        JsonNode report = harness.awaitReport("22", "modify-records", "patience.ndjson", Duration.ofSeconds(90));
        assertThat(report.path("accepted").asLong()).isEqualTo(5);
        assertThat(bridge.gate().cappedRetryAfters()).isEqualTo(1);
        assertThat(harness.appliedCounts()).hasSize(5);
    }

    @Test
    void refused_credentials_pause_sending_dead_letter_nothing_and_resume_by_themselves() throws Exception {
        Bridge bridge = harness.startBridge(Map.of("batch.max-elements", "10", "batch.max-in-flight", "1",
                "retry.credentials-probe-interval", "200"), true);
        harness.faults("{\"latency\":{\"requestMs\":150,\"path\":\"/v2/projects/22/records\"}}");

        harness.drop("22", "modify-records", "locked-out.ndjson", BridgeHarness.distinctElements(100));
        await("two batches answered").atMost(Duration.ofSeconds(30)).until(() -> harness.appliedCounts().size() >= 20);
        harness.faults("{\"rejectCredentials\":true}");

        await("sending paused").atMost(Duration.ofSeconds(30)).until(() -> bridge.gate().isCredentialsRefused());
        int appliedWhenPaused = harness.appliedCounts().size();
        await("still paused").during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
                .until(() -> bridge.gate().isCredentialsRefused() && harness.appliedCounts().size() == appliedWhenPaused);
        assertThat(harness.deadLetters()).isEmpty();
        assertThat(harness.inbox("22", "modify-records", "locked-out.ndjson")).exists();

        harness.clearFaults();

        JsonNode report = harness.awaitReport("22", "modify-records", "locked-out.ndjson", Duration.ofSeconds(90));
        assertThat(report.path("accepted").asLong()).isEqualTo(100);
        assertThat(harness.deadLetters()).isEmpty();
        assertThat(harness.appliedCounts()).hasSize(100).allSatisfy((value, times) -> assertThat(times).isEqualTo(1));
    }

    @Test
    void slow_large_batches_are_split_until_they_go_through_and_nothing_is_applied_twice() throws Exception {
        harness.startBridge(Map.of("batch.max-elements", "40", "vcc.response-timeout", "700"), true);
        harness.admin("PUT", "faults",
                "{\"hangs\":{\"minElements\":11,\"maxSeconds\":5,\"path\":\"/v2/projects/22/records\"}}");

        harness.drop("22", "modify-records", "heavy.ndjson", BridgeHarness.distinctElements(80));

        JsonNode report = harness.awaitReport("22", "modify-records", "heavy.ndjson", Duration.ofSeconds(90));
        assertThat(report.path("accepted").asLong()).isEqualTo(80);
        assertThat(harness.deadLetters()).isEmpty();
        Map<String, Integer> applied = harness.appliedCounts();
        assertThat(applied).hasSize(80);
        assertThat(applied.values()).allMatch(times -> times == 1);
    }

    @Test
    void bisection_isolates_the_element_that_makes_the_dialer_refuse_the_whole_request() throws Exception {
        harness.startBridge(Map.of("batch.max-elements", "16"), true);
        harness.faults("""
                {"elementErrors":[{"operation":"modify-records","field":"age","value":"v7","effect":"reject-request"},
                                  {"operation":"modify-records","field":"age","value":"v13","effect":"reject-request"}]}""");

        harness.drop("22", "modify-records", "poison.ndjson", BridgeHarness.distinctElements(16));

        JsonNode report = harness.awaitReport("22", "modify-records", "poison.ndjson", Duration.ofSeconds(90));
        List<JsonNode> letters = harness.deadLetters();
        assertThat(letters).extracting(l -> l.path("source").path("line").asLong()).containsExactlyInAnyOrder(7L, 13L);
        assertThat(letters).allSatisfy(letter -> {
            assertThat(letter.path("error").asText()).isEqualTo("error.wrong_request_format");
            assertThat(letter.path("httpStatus").asInt()).isEqualTo(400);
        });
        assertThat(report.path("accepted").asLong()).isEqualTo(14);
        Map<String, Integer> applied = harness.appliedCounts();
        assertThat(applied).hasSize(14).doesNotContainKeys("v7", "v13");
        assertThat(applied.values()).allMatch(times -> times == 1);
    }

    @Test
    void an_element_the_answer_leaves_unconfirmed_is_dead_lettered_as_such() throws Exception {
        harness.startBridge(Map.of("batch.max-elements", "4"), true);
        harness.faults("{\"elementErrors\":[{\"operation\":\"modify-records\",\"index\":2,\"effect\":\"omit\",\"times\":1}]}");

        harness.drop("22", "modify-records", "silent.ndjson", BridgeHarness.distinctElements(4));

        JsonNode report = harness.awaitReport("22", "modify-records", "silent.ndjson", Duration.ofSeconds(90));
        List<JsonNode> letters = harness.deadLetters();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).path("source").path("line").asLong()).isEqualTo(3);
        assertThat(letters.get(0).path("error").asText()).isEqualTo("error.unconfirmed");
        assertThat(report.path("accepted").asLong()).isEqualTo(3);
        assertThat(report.path("deadLettered").asLong()).isEqualTo(1);
    }

    @Test
    void refused_credentials_pause_per_element_operations_too() throws Exception {
        Bridge bridge = harness.startBridge(Map.of("retry.credentials-probe-interval", "200"), true);
        harness.faults("{\"rejectCredentials\":true}");

        harness.drop("22", "modify-contacts", "contacts.ndjson", """
                {"numberid":"1","contact":"1","name":"John Smith","email":"john@example.org"}
                {"numberid":"2","contact":"1","name":"Jane Doe","email":"jane@example.org"}
                """);

        await("sending paused").atMost(Duration.ofSeconds(30)).until(() -> bridge.gate().isCredentialsRefused());
        assertThat(harness.deadLetters()).isEmpty();
        harness.clearFaults();

        JsonNode report = harness.awaitReport("22", "modify-contacts", "contacts.ndjson");
        assertThat(report.path("accepted").asLong()).isEqualTo(2);
        assertThat(harness.deadLetters()).isEmpty();
        assertThat(harness.record("22", 2).path("contacts").path("1").path("email").asText())
                .isEqualTo("jane@example.org");
    }
}
