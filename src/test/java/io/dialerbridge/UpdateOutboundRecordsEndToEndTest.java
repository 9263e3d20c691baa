package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** update-outbound-records from the drop folder to the sandbox's Genesys UpdateRecord, with its session. */
@Timeout(90)
class UpdateOutboundRecordsEndToEndTest extends BridgeEndToEndSupport {

    private static final Map<String, String> GWS = Map.of("gws.application-id", "120",
            "gws.campaign-name", "Sandbox Campaign",
            "gws.device-path", "/devices/6f1c0a52-0000-4000-8000-000000000001");

    private JsonNode outbound(int handle) throws Exception {
        return harness.admin("GET", "genesys/records/" + handle, null);
    }

    private long logins() throws Exception {
        return harness.requestsTo("GET", "/api/v2/me");
    }

    @Test
    void updates_the_accepted_records_keeps_their_reference_ids_and_dead_letters_exactly_the_refused() throws Exception {
        harness.startBridge(GWS, true);

        harness.drop("22", "update-outbound-records", "updates.ndjson", """
                {"recordHandle":101,"phoneNumber":"+3619999901","phoneType":"Mobile","from":28800,"until":64800}
                {"recordHandle":"102","timeZone":"Europe/Vienna","applicationId":"121"}
                {"recordHandle":103,"phoneType":"Satellite"}
                {"recordHandle":104,"from":90000}
                {"recordHandle":999,"phoneNumber":"+3610000000"}
                {"recordHandle":105,"campaignName":"Other Campaign","phoneNumber":"+3610000005"}
                {"phoneNumber":"+3610000006"}
                """);

        JsonNode report = harness.awaitReport("22", "update-outbound-records", "updates.ndjson");
        List<JsonNode> letters = harness.assertDeadLettered(List.of(3L, 4L, 5L, 6L, 7L), List.of("error.wrong_phone_type",
                "error.wrong_from", "error.gws_not_found", "error.gws_not_found", "error.missing_record_handle"));
        JsonNode notFound = letters.get(2);
        assertThat(notFound.path("errorCode").asInt()).as("statusCode").isEqualTo(6);
        assertThat(notFound.path("errorMessage").asText()).as("statusMessage").contains("999");
        assertThat(letters.get(0).path("httpStatus").asInt()).as("never sent").isZero();
        assertThat(report.path("elements").asLong()).isEqualTo(7);
        assertThat(report.path("accepted").asLong()).isEqualTo(2);
        assertThat(report.path("deadLettered").asLong()).isEqualTo(5);

        JsonNode first = outbound(101);
        assertThat(first.path("phoneNumber").asText()).isEqualTo("+3619999901");
        assertThat(first.path("phoneType").asText()).isEqualTo("Mobile");
        assertThat(first.path("from").asInt()).isEqualTo(28800);
        assertThat(first.path("until").asInt()).isEqualTo(64800);
        assertThat(first.path("updates").get(0).path("applicationId").asLong()).isEqualTo(120);
        JsonNode second = outbound(102);
        assertThat(second.path("timeZone").asText()).isEqualTo("Europe/Vienna");
        assertThat(second.path("updates").get(0).path("applicationId").asLong()).as("element wins").isEqualTo(121);
        assertThat(outbound(105).path("phoneNumber").asText()).isEqualTo("+3612345605");
        assertThat(outbound(103).path("updates")).isEmpty();

        List<JsonNode> results = harness.results("22", "update-outbound-records", "updates.ndjson");
        assertThat(results).extracting(r -> r.path("source").path("line").asLong()).containsExactlyInAnyOrder(1L, 2L);
        for (JsonNode result : results) {
            JsonNode updates = outbound(result.path("recordHandle").asInt()).path("updates");
            assertThat(updates.get(updates.size() - 1).path("referenceId").asText())
                    .isEqualTo(result.path("referenceId").asText()).isNotBlank();
        }
        assertThat(results.get(0).path("referenceId").asText()).isNotEqualTo(results.get(1).path("referenceId").asText());
        assertThat(logins()).as("one session for the whole file").isEqualTo(1);
        assertThat(harness.deadLetters().toString()).doesNotContain("JSESSIONID").doesNotContain("sandbox:sandbox");
    }

    @Test
    void an_expired_session_logs_in_again_and_loses_nothing() throws Exception {
        harness.startBridge(GWS, true);

        harness.drop("22", "update-outbound-records", "first.ndjson", """
                {"recordHandle":101,"phoneNumber":"+3611111101"}
                {"recordHandle":102,"phoneNumber":"+3611111102"}
                """);
        assertThat(harness.awaitReport("22", "update-outbound-records", "first.ndjson").path("accepted").asLong()).isEqualTo(2);
        harness.admin("POST", "genesys/expire-sessions", null);

        harness.drop("22", "update-outbound-records", "second.csv", "recordHandle,phoneNumber,phoneType,from,until\r\n"
                + "103,+3611111103,HomePhone,30000,60000\r\n"
                + "104,+3611111104,,,\r\n"
                + "105,+3611111105,Mobile,,\r\n");

        JsonNode report = harness.awaitReport("22", "update-outbound-records", "second.csv");
        assertThat(report.path("accepted").asLong()).isEqualTo(3);
        assertThat(harness.deadLetters()).isEmpty();
        for (int handle = 101; handle <= 105; handle++) {
            assertThat(outbound(handle).path("phoneNumber").asText()).isEqualTo("+36111111" + (handle - 100 < 10 ? "0" : "") + (handle - 100));
            assertThat(outbound(handle).path("updates")).hasSize(1);
        }
        assertThat(outbound(103).path("from").asInt()).isEqualTo(30000);
        assertThat(logins()).as("logged in again after the session expired").isEqualTo(2);
        assertThat(harness.requests()).filteredOn(r -> r.path("status").asInt() == 403).isNotEmpty();
    }
}
