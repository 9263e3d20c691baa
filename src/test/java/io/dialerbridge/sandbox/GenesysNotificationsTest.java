package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.dialerbridge.sandbox.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** GWS notifications: the Bayeux long-polling server and the UpdateRecord acknowledgements it publishes. */
@Timeout(30)
class GenesysNotificationsTest extends SandboxTestSupport {

    private String[] session;

    private String[] login() throws Exception {
        HttpResponse<String> r = http.send("GET", sandbox.gwsBaseUrl() + "/api/v2/me", null, Duration.ofSeconds(10),
                "Authorization", SandboxHttp.GWS_AUTH);
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return new String[]{"Cookie", cookie.substring(0, cookie.indexOf(';')), "X-CSRF-TOKEN",
                r.headers().firstValue("X-CSRF-TOKEN").orElseThrow(), "Content-Type", "application/json"};
    }

    private JsonNode bayeux(String suffix, String messages) throws Exception {
        HttpResponse<String> r = http.send("POST", sandbox.gwsBaseUrl() + "/api/v2/notifications" + suffix, messages,
                Duration.ofSeconds(10), session);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    private String handshakeAndSubscribe(String... channels) throws Exception {
        session = login();
        JsonNode handshake = bayeux("/handshake", "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\","
                + "\"supportedConnectionTypes\":[\"long-polling\"],\"id\":\"1\"}]").get(0);
        assertThat(handshake.path("successful").asBoolean()).isTrue();
        String clientId = handshake.path("clientId").asText();
        for (String channel : channels) {
            JsonNode subscribed = bayeux("", "{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + clientId
                    + "\",\"subscription\":\"" + channel + "\",\"id\":\"2\"}").get(0);
            assertThat(subscribed.path("successful").asBoolean()).isTrue();
        }
        return clientId;
    }

    private List<JsonNode> connect(String clientId) throws Exception {
        List<JsonNode> messages = new ArrayList<>();
        bayeux("/connect", "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + clientId
                + "\",\"connectionType\":\"long-polling\",\"advice\":{\"timeout\":0},\"id\":\"3\"}]").forEach(messages::add);
        return messages;
    }

    private void update(long handle, String referenceId) throws Exception {
        HttpResponse<String> r = http.send("POST", sandbox.gwsBaseUrl() + "/api/v2/me/outbound-records/" + handle,
                GenesysOutboundRecordTest.VALID.replace("ref-1", referenceId), Duration.ofSeconds(10), session);
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void publishes_the_acknowledgement_and_the_device_user_event_of_an_update_with_a_reference_id() throws Exception {
        String clientId = handshakeAndSubscribe("/v2/me/outbound", "/me/internal");

        update(101, "ref-ack");

        List<JsonNode> messages = connect(clientId);
        assertThat(messages).extracting(m -> m.path("channel").asText())
                .containsExactly("/v2/me/outbound", "/me/internal", "/meta/connect");
        JsonNode ack = messages.get(0).path("data");
        assertThat(ack.path("messageType").asText()).isEqualTo("OutboundRecordMessage");
        assertThat(ack.path("notificationType").asText()).isEqualTo("UpdateCallCompletionStatsAcknowledge");
        assertThat(ack.path("referenceId").asText()).isEqualTo("ref-ack");
        assertThat(ack.path("record").path("recordHandle").asLong()).isEqualTo(101);
        assertThat(ack.path("record").path("applicationId").asLong()).isEqualTo(211);
        JsonNode userData = messages.get(1).path("data").path("userData");
        assertThat(userData.path("GSW_RECORD_HANDLE").asLong()).isEqualTo(101);
        assertThat(userData.path("GSW_CAMPAIGN_NAME").asText()).isEqualTo("Sandbox Campaign");
        assertThat(messages.get(2).path("advice").path("reconnect").asText()).isEqualTo("retry");
    }

    @Test
    void publishes_an_error_event_for_an_unknown_handle_and_for_a_refused_update() throws Exception {
        String clientId = handshakeAndSubscribe("/v2/me/outbound");
        sandbox.setFaults(Faults.fromJson("{\"acks\":{\"refuse\":true,\"handles\":[102]}}"));

        update(999, "ref-unknown");
        update(102, "ref-refused");

        List<JsonNode> messages = connect(clientId);
        assertThat(messages).hasSize(3);
        assertThat(messages.subList(0, 2)).extracting(m -> m.path("data").path("messageType").asText() + " "
                        + m.path("data").path("referenceId").asText() + " " + m.path("data").path("errorCode").asInt())
                .containsExactly("ErrorMessage ref-unknown 6", "ErrorMessage ref-refused 2");
    }

    @Test
    void a_forgotten_client_is_told_to_handshake_again_and_requests_need_the_session() throws Exception {
        String clientId = handshakeAndSubscribe("/v2/me/outbound");
        sandbox.setFaults(Faults.fromJson("{\"acks\":{\"forgetClient\":1}}"));

        JsonNode reply = connect(clientId).get(0);

        assertThat(reply.path("successful").asBoolean()).isFalse();
        assertThat(reply.path("error").asText()).isEqualTo("402::Unknown client");
        assertThat(reply.path("advice").path("reconnect").asText()).isEqualTo("handshake");
        HttpResponse<String> withoutCsrf = http.send("POST", sandbox.gwsBaseUrl() + "/api/v2/notifications/handshake",
                "[{\"channel\":\"/meta/handshake\"}]", Duration.ofSeconds(10), "Cookie", session[1]);
        assertThat(withoutCsrf.statusCode()).isEqualTo(403);
    }
}
