package io.dialerbridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The health endpoint: readiness DOWN while the dialer refuses the credentials or does not answer, UP again after. */
@Timeout(60)
class HealthTest extends BridgeEndToEndSupport {

    final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> health(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready?exposureLevel=full")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readiness_is_down_while_the_dialer_refuses_the_credentials() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Bridge bridge = harness.startBridge(Map.of("management.enabled", "true", "management.port", String.valueOf(port),
                "retry.credentials-probe-interval", "200"), true);
        int managementPort = port;
        await("health answers UP").atMost(Duration.ofSeconds(20)).until(() -> health(managementPort).statusCode() == 200);

        harness.faults("{\"rejectCredentials\":true}");
        harness.drop("22", "modify-records", "locked.ndjson", "{\"numberid\":\"1\",\"form\":{\"city\":\"Vác\"}}\n");
        await("readiness DOWN").atMost(Duration.ofSeconds(20)).until(() -> health(managementPort).statusCode() == 503);
        assertThat(health(managementPort).body()).contains("dialer-credentials").contains("DOWN");
        assertThat(bridge.gate().isCredentialsRefused()).isTrue();

        harness.clearFaults();
        await("readiness UP again").atMost(Duration.ofSeconds(20)).until(() -> health(managementPort).statusCode() == 200);
        harness.awaitReport("22", "modify-records", "locked.ndjson", Duration.ofSeconds(20));
        assertThat(harness.deadLetters()).isEmpty();
    }

    @Test
    void readiness_is_down_while_the_dialer_cannot_be_reached_and_up_when_it_answers_again() throws Exception {
        int port = freePort();
        harness.startBridge(Map.of("management.enabled", "true", "management.port", String.valueOf(port),
                "management.dialer-probe-interval", "100"), true);
        await("health answers UP").atMost(Duration.ofSeconds(20)).until(() -> health(port).statusCode() == 200);
        assertThat(health(port).body()).contains("dialer-reachable");

        // every dialer request answers 503 (a gateway in front of a dialer that is down)
        harness.faults("{\"errors\":{\"statuses\":[503]}}");
        await("readiness DOWN").atMost(Duration.ofSeconds(20)).until(() -> health(port).statusCode() == 503);
        assertThat(reachabilityMessage(port)).contains("the dialer vcc at " + harness.sandbox.vccBaseUrl().replace("/v2", "") + " cannot be reached since")
                .contains("it answered HTTP 503")
                .doesNotContain("c2FuZGJveDpzYW5kYm94"); // the sandbox's Basic credentials, base64

        harness.clearFaults();
        await("readiness UP again").atMost(Duration.ofSeconds(20)).until(() -> health(port).statusCode() == 200);
    }

    @Test
    void readiness_is_down_while_nothing_listens_at_the_dialer_address() throws Exception {
        int port = freePort();
        int nobody = freePort();
        harness.startBridge(Map.of("management.enabled", "true", "management.port", String.valueOf(port),
                "management.dialer-probe-interval", "100", "vcc.base-url", "http://127.0.0.1:" + nobody + "/v2"), true);
        await("readiness DOWN").atMost(Duration.ofSeconds(20)).until(() -> health(port).statusCode() == 503);
        assertThat(reachabilityMessage(port)).contains("the dialer vcc at http://127.0.0.1:" + nobody + " cannot be reached")
                .contains("ConnectException");
    }

    /** The message of the dialer-reachable readiness check. */
    private String reachabilityMessage(int port) throws Exception {
        for (com.fasterxml.jackson.databind.JsonNode check : BridgeHarness.JSON.readTree(health(port).body()).path("checks")) {
            if (check.path("name").asText().equals("dialer-reachable")) {
                assertThat(check.path("status").asText()).isEqualTo("DOWN");
                // Camel's health endpoint writes a slash in a message as "\/" even inside the JSON string
                return check.path("message").asText().replace("\\/", "/");
            }
        }
        throw new AssertionError("no dialer-reachable check in " + health(port).body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
