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

/** The health endpoint: readiness DOWN while the dialer refuses the credentials, UP again after. */
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
}
