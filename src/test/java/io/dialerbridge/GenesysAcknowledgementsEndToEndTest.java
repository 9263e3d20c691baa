package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * update-outbound-records with CometD confirmation: the real CometD client of the bridge against the sandbox's Bayeux
 * server over real HTTP on loopback, through the real routes, with the acknowledgement faults of the sandbox.
 */
@Timeout(90)
class GenesysAcknowledgementsEndToEndTest extends BridgeEndToEndSupport {

    private static final String ALL_FIVE = """
            {"recordHandle":101,"phoneNumber":"+3610000101"}
            {"recordHandle":102,"phoneNumber":"+3610000102"}
            {"recordHandle":103,"phoneNumber":"+3610000103"}
            {"recordHandle":104,"phoneNumber":"+3610000104"}
            {"recordHandle":105,"phoneNumber":"+3610000105"}
            """;

    private static Map<String, String> gws(String... more) {
        Map<String, String> settings = new HashMap<>(Map.of("gws.application-id", "120",
                "gws.campaign-name", "Sandbox Campaign",
                "gws.device-path", "/devices/6f1c0a52-0000-4000-8000-000000000001",
                "gws.ack-timeout", "2000"));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    private int updates(int handle) throws Exception {
        return harness.admin("GET", "genesys/records/" + handle, null).path("updates").size();
    }

    @Test
    void dead_letters_the_refused_and_the_unacknowledged_and_accepts_only_the_acknowledged() throws Exception {
        harness.startBridge(gws(), true);

        harness.faults("{\"acks\":{\"refuse\":true,\"handles\":[102]}}");
        harness.drop("22", "update-outbound-records", "refused.ndjson", """
                {"recordHandle":101,"phoneNumber":"+3610000101"}
                {"recordHandle":102,"phoneNumber":"+3610000102"}
                """);
        JsonNode refused = harness.awaitReport("22", "update-outbound-records", "refused.ndjson");
        assertThat(refused.path("accepted").asLong()).isEqualTo(1);
        JsonNode letter = harness.assertDeadLettered(List.of(2L), List.of("error.gws_invalid_state")).get(0);
        assertThat(letter.path("errorCode").asInt()).as("the error event's code").isEqualTo(2);
        assertThat(letter.path("errorMessage").asText()).contains("102");
        assertThat(updates(102)).as("nothing changed").isZero();

        harness.faults("{\"acks\":{\"drop\":true,\"handles\":[103]}}");
        harness.drop("22", "update-outbound-records", "silent.ndjson", """
                {"recordHandle":103,"phoneNumber":"+3610000103"}
                {"recordHandle":104,"phoneNumber":"+3610000104"}
                """);
        JsonNode silent = harness.awaitReport("22", "update-outbound-records", "silent.ndjson");
        assertThat(silent.path("accepted").asLong()).isEqualTo(1);
        assertThat(silent.path("deadLettered").asLong()).isEqualTo(1);
        List<JsonNode> letters = harness.deadLettersByLine();
        assertThat(letters).extracting(l -> l.path("error").asText())
                .containsExactlyInAnyOrder("error.gws_invalid_state", "error.gws_unconfirmed");
        JsonNode unconfirmed = letters.stream().filter(l -> l.path("error").asText().equals("error.gws_unconfirmed"))
                .findFirst().orElseThrow();
        assertThat(unconfirmed.path("source").path("line").asLong()).isEqualTo(1);
        assertThat(unconfirmed.path("errorMessage").asText()).contains("no acknowledgement").contains("2000 ms");

        assertThat(harness.results("22", "update-outbound-records", "refused.ndjson"))
                .extracting(r -> r.path("recordHandle").asText() + " " + r.path("confirmedBy").asText())
                .containsExactly("101 cometd");
        assertThat(harness.results("22", "update-outbound-records", "silent.ndjson"))
                .extracting(r -> r.path("recordHandle").asText()).containsExactly("104");
    }

    @Test
    void survives_late_duplicate_reordered_and_dropped_deliveries_and_a_forgotten_client_counting_each_update_once()
            throws Exception {
        harness.startBridge(gws("gws.ack-timeout", "5000"), true);
        List<String> faults = List.of(
                "{\"acks\":{\"delayMs\":700}}",
                "{\"acks\":{\"duplicate\":true}}",
                "{\"acks\":{\"outOfOrder\":true,\"handles\":[101,103]}}",
                "{\"disconnects\":{\"path\":\"/api/v2/notifications\",\"beforeProcessing\":true,\"times\":2}}");
        int round = 0;
        for (String fault : faults) {
            round++;
            harness.faults(fault);
            String name = "round-" + round + ".ndjson";
            harness.drop("22", "update-outbound-records", name, ALL_FIVE);
            JsonNode report = harness.awaitReport("22", "update-outbound-records", name);
            assertThat(report.path("accepted").asLong()).as(fault).isEqualTo(5);
            assertThat(harness.results("22", "update-outbound-records", name)).as(fault).hasSize(5);
            for (int handle = 101; handle <= 105; handle++) {
                assertThat(updates(handle)).as(fault + ": updates of " + handle).isEqualTo(round);
            }
        }
        assertThat(harness.requests()).as("connections were dropped")
                .anySatisfy(r -> assertThat(r.path("fault").asText()).isEqualTo("disconnect"));

        harness.faults("{\"acks\":{\"forgetClient\":1}}");
        long handshakes = harness.requestsTo("POST", "/api/v2/notifications/handshake");
        Awaitility.await("a new handshake after the server forgot the client").atMost(Duration.ofSeconds(15))
                .until(() -> harness.requestsTo("POST", "/api/v2/notifications/handshake") > handshakes);
        harness.drop("22", "update-outbound-records", "after-forgetting.ndjson", ALL_FIVE);
        assertThat(harness.awaitReport("22", "update-outbound-records", "after-forgetting.ndjson")
                .path("accepted").asLong()).as("subscribed again after the new handshake").isEqualTo(5);
        assertThat(harness.deadLetters()).isEmpty();
        for (int handle = 101; handle <= 105; handle++) {
            assertThat(updates(handle)).isEqualTo(faults.size() + 1);
        }
    }

    @Test
    void a_client_forgotten_with_acknowledgements_in_flight_sends_those_elements_again_and_counts_each_once()
            throws Exception {
        harness.startBridge(gws("gws.ack-timeout", "10000"), true);
        harness.drop("22", "update-outbound-records", "warm-up.ndjson", "{\"recordHandle\":101}\n");
        harness.awaitReport("22", "update-outbound-records", "warm-up.ndjson");
        long handshakes = harness.requestsTo("POST", "/api/v2/notifications/handshake");
        harness.faults("{\"acks\":{\"delayMs\":1000,\"forgetClient\":1}}");

        harness.drop("22", "update-outbound-records", "in-flight.ndjson", ALL_FIVE);

        JsonNode report = harness.awaitReport("22", "update-outbound-records", "in-flight.ndjson");
        assertThat(harness.requestsTo("POST", "/api/v2/notifications/handshake")).as("handshook again")
                .isGreaterThan(handshakes);
        assertThat(report.path("accepted").asLong()).isEqualTo(5);
        assertThat(harness.deadLetters()).isEmpty();
        assertThat(harness.results("22", "update-outbound-records", "in-flight.ndjson"))
                .extracting(r -> r.path("recordHandle").asInt()).containsExactlyInAnyOrder(101, 102, 103, 104, 105);
    }

    @Test
    void confirms_by_the_http_answer_alone_when_told_to() throws Exception {
        harness.startBridge(gws("gws.confirm", "http"), true);
        harness.faults("{\"acks\":{\"drop\":true}}");

        harness.drop("22", "update-outbound-records", "http.ndjson", ALL_FIVE);

        assertThat(harness.awaitReport("22", "update-outbound-records", "http.ndjson").path("accepted").asLong())
                .isEqualTo(5);
        assertThat(harness.results("22", "update-outbound-records", "http.ndjson"))
                .extracting(r -> r.path("confirmedBy").asText()).containsOnly("http");
        assertThat(harness.requestsTo("POST", "/api/v2/notifications/handshake")).as("no CometD session").isZero();
    }
}
