package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Readiness check kafka-access: DOWN, saying why, once the broker has not answered for kafka.unreachable-after; UP when it is back. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaAccessHealthTest extends BridgeEndToEndSupport {

    final HttpClient http = HttpClient.newHttpClient();
    EmbeddedKafkaBroker kafka;

    @AfterEach
    void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void kafka_access_is_down_while_the_broker_is_unreachable_and_up_when_it_is_back() throws Exception {
        int kafkaPort = freePort();
        kafka = EmbeddedKafkaBroker.startOnPort(1, kafkaPort);
        int port = freePort();
        harness.startBridge(Map.of("management.enabled", "true", "management.port", String.valueOf(port),
                "kafka.bootstrap-servers", kafka.bootstrapServers(), "kafka.group-id", "health",
                "kafka.unreachable-after", "2000", "kafka.refused-pause", "500"), false);
        // UP for longer than kafka.unreachable-after: the probe has had answers, not only the start's grace
        await("kafka-access UP past kafka.unreachable-after").during(Duration.ofMillis(3000)).atMost(Duration.ofSeconds(30))
                .until(() -> "UP".equals(kafkaAccess(port).path("status").asText()));

        kafka.close();
        kafka = null;
        await("kafka-access DOWN").atMost(Duration.ofSeconds(20)).until(() -> "DOWN".equals(kafkaAccess(port).path("status").asText()));
        String message = kafkaAccess(port).path("message").asText().replace("\\/", "/");
        assertThat(message).contains("Kafka (" + "127.0.0.1:" + kafkaPort + ") has not answered for");
        Matcher silent = Pattern.compile("has not answered for (\\d+) s").matcher(message);
        assertThat(silent.find()).isTrue();
        assertThat(Integer.parseInt(silent.group(1))).as("DOWN only after kafka.unreachable-after (2 s) without an answer")
                .isGreaterThanOrEqualTo(2);
        assertThat(health(port).statusCode()).isEqualTo(503);

        kafka = EmbeddedKafkaBroker.startOnPort(1, kafkaPort);
        await("kafka-access UP again").atMost(Duration.ofSeconds(60)).until(() -> "UP".equals(kafkaAccess(port).path("status").asText()));
    }

    private HttpResponse<String> health(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready?exposureLevel=full")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The kafka-access readiness check's entry (status, message). */
    private JsonNode kafkaAccess(int port) throws Exception {
        for (JsonNode check : BridgeHarness.JSON.readTree(health(port).body()).path("checks")) {
            if (check.path("name").asText().equals("kafka-access")) {
                return check;
            }
        }
        throw new AssertionError("no kafka-access check in " + health(port).body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
