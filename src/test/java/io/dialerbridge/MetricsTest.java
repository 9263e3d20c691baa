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

/** Prometheus text on the management port: the counts of one file, its batches and its retries. */
@Timeout(120)
class MetricsTest extends BridgeEndToEndSupport {

    @Test
    void counts_accepted_and_dead_lettered_elements_batches_and_retries_per_operation() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        harness.startBridge(Map.of("management.enabled", "true", "management.port", String.valueOf(port),
                "batch.max-elements", "2",
                // no readiness probe during the test: it must not be the request that meets the one 503 below
                "management.dialer-probe-interval", "600000"), true);
        harness.faults("{\"errors\":{\"statuses\":[503],\"times\":1,\"retryAfterSeconds\":1,\"path\":\"/v2/projects/22/records\"}}");
        harness.drop("22", "modify-records", "counted.ndjson", """
                {"numberid":"1","form":{"city":"Eger"}}
                {"form":{"city":"Nowhere"}}
                {"numberid":"3","form":{"city":"Pécs"}}
                {"numberid":"99999","form":{"city":"Ghost"}}
                """);
        harness.awaitReport("22", "modify-records", "counted.ndjson", Duration.ofSeconds(30));

        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body().lines())
                .contains("dialer_bridge_elements_accepted_total{operation=\"modify-records\",project=\"22\"} 2.0")
                .contains("dialer_bridge_elements_dead_lettered_total{error=\"error.missing_numberid_or_search\","
                        + "operation=\"modify-records\",project=\"22\"} 1.0")
                .contains("dialer_bridge_elements_dead_lettered_total{error=\"error.record_not_exists\","
                        + "operation=\"modify-records\",project=\"22\"} 1.0")
                .contains("dialer_bridge_retries_total{cause=\"http_503\",operation=\"modify-records\",project=\"22\"} 1.0")
                .contains("dialer_bridge_batch_seconds_count{operation=\"modify-records\",project=\"22\",status=\"503\"} 1")
                .contains("dialer_bridge_retry_after_pauses_total{project=\"22\",status=\"503\"} 1.0")
                .contains("dialer_bridge_inbox_files 0.0")
                .contains("dialer_bridge_requests_in_flight 0.0")
                .contains("dialer_bridge_inbox_lease_active 1.0")
                // the lease is taken once the cluster service has elected this daemon (cluster.enabled is on by default)
                .anyMatch(line -> line.matches("dialer_bridge_inbox_lease_take_overs_total [01]\\.0"))
                .contains("dialer_bridge_inbox_oldest_file_age_seconds 0.0")
                .contains("dialer_bridge_elements_received_total{operation=\"modify-records\",project=\"22\"} 4.0")
                .contains("dialer_bridge_oldest_unaccounted_element_age_seconds 0.0")
                .anyMatch(line -> line.startsWith("dialer_bridge_batch_seconds_bucket{"))
                .anyMatch(line -> line.startsWith("executor_active_threads{name=\"batchSenders\"}"));

        // a dialer that takes its time: the oldest element not yet accounted for shows a growing age,
        // back to 0 once the file is done
        harness.faults("{\"latency\":{\"requestMs\":4000,\"path\":\"/v2/projects/22/records\"}}");
        harness.drop("22", "modify-records", "slow.ndjson", "{\"numberid\":\"1\",\"form\":{\"city\":\"Eger\"}}\n");
        await("the wait of the element in flight shows").atMost(Duration.ofSeconds(20))
                .until(() -> gauge(port, "dialer_bridge_oldest_unaccounted_element_age_seconds") >= 1.0);
        harness.awaitReport("22", "modify-records", "slow.ndjson", Duration.ofSeconds(30));
        assertThat(gauge(port, "dialer_bridge_oldest_unaccounted_element_age_seconds")).isZero();
        assertThat(gauge(port, "dialer_bridge_elements_received_total{operation=\"modify-records\",project=\"22\"}"))
                .isEqualTo(5.0);
    }

    private static double gauge(int port, String name) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(line -> Double.parseDouble(
                line.substring(name.length() + 1))).findFirst().orElseThrow(() -> new AssertionError(name + " not in the metrics"));
    }
}
