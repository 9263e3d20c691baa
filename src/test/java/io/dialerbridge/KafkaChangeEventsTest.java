package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.kafka.BrokerPerClass;
import io.dialerbridge.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Debezium change events end to end: every event ends in exactly one place (a row accepted, a delete
 * dead-lettered since the dialer API has no delete, a tombstone ignored and counted), every offset is
 * committed, and the counts of /observe/metrics and /observe/status.json add up.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaChangeEventsTest {

    private static final String TOPIC = "crm.public.customers";
    @RegisterExtension
    static final BrokerPerClass kafka = new BrokerPerClass(() -> EmbeddedKafkaBroker.start(1));

    @TempDir
    Path home;

    BridgeHarness harness;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void createTopics() {
        kafka.broker().createTopic(TOPIC, 1);
    }

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private static String event(String op, String before, String after) {
        return "{\"before\":" + before + ",\"after\":" + after + ",\"source\":{\"connector\":\"postgresql\",\"table\":\"customers\"},"
                + "\"op\":\"" + op + "\",\"ts_ms\":1733140000123}";
    }

    private static String row(int numberid, String city) {
        return "{\"numberid\":\"" + numberid + "\",\"form\":{\"city\":\"" + city + "\"}}";
    }

    @Test
    void a_delete_is_dead_lettered_a_tombstone_is_ignored_and_counted_and_the_counts_add_up() throws Exception {
        harness = BridgeHarness.withSandbox(home);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        records.add(new ProducerRecord<>(TOPIC, "1", event("c", "null", row(1, "Eger"))));  // 0
        records.add(new ProducerRecord<>(TOPIC, "2", event("u", row(2, "x"), row(2, "Győr")))); // 1
        records.add(new ProducerRecord<>(TOPIC, "3", event("d", row(3, "Pécs"), "null")));      // 2: delete
        records.add(new ProducerRecord<>(TOPIC, "3", null));                                    // 3: its tombstone
        records.add(new ProducerRecord<>(TOPIC, "4", event("r", "null", row(4, "Vác"))));        // 4
        records.add(new ProducerRecord<>(TOPIC, "5", event("d", row(5, "Szeged"), "null")));     // 5: delete
        records.add(new ProducerRecord<>(TOPIC, "5", null));                                    // 6: its tombstone
        kafka.broker().produce(records);
        int port = freePort();
        harness.startBridge(Map.of("kafka.bootstrap-servers", kafka.broker().bootstrapServers(), "kafka.group-id", "change-events",
                "kafka.topics.modify-records", TOPIC, "kafka.format", "debezium", "kafka.default-project", "22",
                "batch.max-wait", "200", "management.enabled", "true", "management.port", String.valueOf(port)), false);

        await("committed past every event").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> committed() == records.size());

        assertThat(harness.city("22", 1)).isEqualTo("Eger");
        assertThat(harness.city("22", 2)).isEqualTo("Győr");
        assertThat(harness.city("22", 4)).isEqualTo("Vác");
        List<JsonNode> letters = harness.deadLetters().stream()
                .sorted(Comparator.comparingLong(l -> l.path("source").path("offset").asLong())).toList();
        assertThat(letters).extracting(l -> l.path("source").path("offset").asLong()).containsExactly(2L, 5L);
        assertThat(letters).extracting(l -> l.path("error").asText()).containsOnly("error.delete_event");
        for (JsonNode letter : letters) {
            assertThat(letter.path("source").path("topic").asText()).isEqualTo(TOPIC);
            assertThat(letter.path("source").path("partition").asInt()).isZero();
            assertThat(letter.path("raw").asText()).contains("\"op\":\"d\"");
            assertThat(letter.path("errorMessage").asText()).contains("the dialer API has no delete");
        }

        String metrics = get(port, "/observe/metrics");
        assertThat(sum(metrics, "dialer_bridge_elements_received_total")).isEqualTo(7);
        assertThat(sum(metrics, "dialer_bridge_elements_accepted_total")).isEqualTo(3);
        assertThat(sum(metrics, "dialer_bridge_elements_dead_lettered_total")).isEqualTo(2);
        assertThat(sum(metrics, "dialer_bridge_elements_ignored_total{operation=\"modify-records\",project=\"22\",reason=\"tombstone\"}"))
                .isEqualTo(2);
        JsonNode row = BridgeHarness.JSON.readTree(get(port, "/observe/status.json")).path("operations").get(0);
        assertThat(row.path("project").asText()).isEqualTo("22");
        assertThat(row.path("accepted").asLong() + row.path("deadLettered").asLong() + row.path("ignored").asLong())
                .as("accepted + dead-lettered + ignored on the status page: " + row).isEqualTo(records.size());
        assertThat(row.path("ignored").asLong()).isEqualTo(2);
        // the topic's in-progress row adds up the same way
        JsonNode topic = BridgeHarness.JSON.readTree(get(port, "/observe/status.json")).path("inProgress").get(0);
        assertThat(topic.path("source").asText()).isEqualTo(TOPIC);
        assertThat(topic.path("accepted").asLong() + topic.path("deadLettered").asLong() + topic.path("ignored").asLong())
                .as("accepted + dead-lettered + ignored in progress: " + topic).isEqualTo(records.size());
        assertThat(topic.path("ignored").asLong()).isEqualTo(2);
        assertThat(get(port, "/observe/status")).contains("<th>ignored</th><th>elements/s</th>");
    }

    /** The sum of a Prometheus meter's samples (every line starting with {@code prefix}). */
    private static double sum(String metrics, String prefix) {
        return metrics.lines().filter(line -> line.startsWith(prefix.contains("{") ? prefix : prefix + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long committed() throws Exception {
        try (Admin admin = kafka.broker().admin()) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets("change-events").partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(new TopicPartition(TOPIC, 0));
            return offset == null ? -1 : offset.offset();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
