package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.kafka.BrokerPerClass;
import io.dialerbridge.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The projectid of a Kafka record (value or header) must be a positive whole number: anything else is
 * dead-lettered as error.wrong_projectid before any request and before it names a file; the partition
 * is committed past it. A batch the dialer refuses for good (unknown project: HTTP 404) is dead-lettered
 * too, never read again forever.
 */
@Timeout(150)
class KafkaProjectIdTest {

    @RegisterExtension
    static final BrokerPerClass kafka = new BrokerPerClass(() -> EmbeddedKafkaBroker.start(1));

    @TempDir
    Path home;

    private BridgeHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void a_projectid_that_is_not_a_positive_whole_number_is_dead_lettered_before_any_request() throws Exception {
        String topic = "wrongproject.modify-records";
        kafka.broker().createTopic(topic, 1);
        harness = BridgeHarness.withSandbox(home);
        String[] wrong = {"\"22?x=1\"", "\"abc\"", "-22", "22.5", "true", "\"22/../22\"", "\"22#frag\"", "\"2%32\"",
                "\"\"", "\"../x\"", "\"22/records/40\"", "0", "\"0\"", "{\"id\":22}"};
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (String projectid : wrong) {
            records.add(new ProducerRecord<>(topic, "k", "{\"projectid\":" + projectid
                    + ",\"numberid\":\"1\",\"form\":{\"city\":\"Wrong\"}}"));
        }
        ProducerRecord<String, String> badHeader = new ProducerRecord<>(topic, "k",
                "{\"numberid\":\"1\",\"form\":{\"city\":\"Wrong\"}}");
        badHeader.headers().add("projectid", "22?x=1".getBytes(StandardCharsets.UTF_8));
        records.add(badHeader);
        // a valid one after them: a string of digits, surrounding spaces trimmed
        records.add(new ProducerRecord<>(topic, "k", "{\"projectid\":\" 22 \",\"numberid\":\"2\",\"form\":{\"city\":\"Right\"}}"));
        produce(records);
        harness.startBridge(Map.of("kafka.bootstrap-servers", kafka.broker().bootstrapServers(), "kafka.group-id", "wrongproject",
                "kafka.topics.modify-records", topic, "batch.max-wait", "200", "kafka.failure-pause", "300"), false);

        await("committed past every record").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> committed("wrongproject", topic) == records.size());
        assertThat(harness.city("22", 2)).isEqualTo("Right");
        assertThat(harness.city("22", 1)).isNotEqualTo("Wrong");
        assertThat(harness.requests()).as("only project 22's batch reached the dialer")
                .allSatisfy(r -> assertThat(r.path("path").asText()).doesNotContain("?").doesNotContain("%")
                        .matches("/v2/projects(/22(/.*)?)?"));
        List<JsonNode> letters = harness.deadLetters().stream()
                .sorted(Comparator.comparingLong(l -> l.path("source").path("offset").asLong())).toList();
        assertThat(letters).hasSize(wrong.length + 1);
        assertThat(letters).allSatisfy(l -> {
            assertThat(l.path("error").asText()).isEqualTo("error.wrong_projectid");
            assertThat(l.path("httpStatus").asInt()).isZero();
            assertThat(l.path("attempts").asInt()).isZero();
            assertThat(l.path("errorMessage").asText()).contains("positive whole number");
        });
        assertThat(letters.get(0).path("errorMessage").asText()).contains("22?x=1");
        assertThat(letters.get(8).path("errorMessage").asText()).contains("\"\"");
        // the wrong value never names a file: every letter is in dead-letter/, none anywhere else
        try (Stream<Path> files = Files.list(home.resolve("dead-letter"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .allSatisfy(name -> assertThat(name).startsWith("no-project-modify-records-"));
        }
        try (Stream<Path> all = Files.walk(home)) {
            assertThat(all.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().contains("-modify-records-")))
                    .as("no letter outside dead-letter/ (\"../x\" once wrote one into the home)")
                    .allSatisfy(f -> assertThat(f.getParent()).isEqualTo(home.resolve("dead-letter")));
        }
    }

    @Test
    void a_batch_refused_for_good_is_dead_lettered_and_the_partition_goes_on() throws Exception {
        String topic = "unknownproject.modify-records";
        kafka.broker().createTopic(topic, 1);
        harness = BridgeHarness.withSandbox(home);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        records.add(new ProducerRecord<>(topic, "k", "{\"projectid\":99,\"numberid\":\"1\",\"form\":{\"city\":\"Nowhere\"}}"));
        records.add(new ProducerRecord<>(topic, "k", "{\"projectid\":99,\"numberid\":\"2\",\"form\":{\"city\":\"Nowhere\"}}"));
        records.add(new ProducerRecord<>(topic, "k", "{\"projectid\":22,\"numberid\":\"3\",\"form\":{\"city\":\"After\"}}"));
        produce(records);
        harness.startBridge(Map.of("kafka.bootstrap-servers", kafka.broker().bootstrapServers(), "kafka.group-id", "unknownproject",
                "kafka.topics.modify-records", topic, "batch.max-wait", "200", "kafka.failure-pause", "300"), false);

        await("committed past every record").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> committed("unknownproject", topic) == records.size());
        assertThat(harness.city("22", 3)).isEqualTo("After");
        List<JsonNode> letters = harness.deadLetters().stream()
                .sorted(Comparator.comparingLong(l -> l.path("source").path("offset").asLong())).toList();
        assertThat(letters).extracting(l -> l.path("source").path("offset").asLong()).containsExactly(0L, 1L);
        assertThat(letters).allSatisfy(l -> {
            assertThat(l.path("error").asText()).isEqualTo("error.project_not_exists");
            assertThat(l.path("httpStatus").asInt()).isEqualTo(404);
            assertThat(l.path("projectid").asText()).isEqualTo("99");
        });
    }

    @Test
    void a_batch_answered_with_an_unexpected_status_is_dead_lettered_not_read_again_forever() throws Exception {
        String topic = "unexpectedstatus.modify-records";
        kafka.broker().createTopic(topic, 1);
        harness = BridgeHarness.withSandbox(home);
        // every batch request answers 405 with an HTML body (not the API's envelope)
        harness.faults("{\"errors\":{\"statuses\":[405],\"path\":\"/v2/projects/22/records\"}}");
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        records.add(new ProducerRecord<>(topic, "k", "{\"projectid\":22,\"numberid\":\"1\",\"form\":{\"city\":\"Lost\"}}"));
        records.add(new ProducerRecord<>(topic, "k", "{\"projectid\":22,\"numberid\":\"2\",\"form\":{\"city\":\"Lost\"}}"));
        produce(records);
        harness.startBridge(Map.of("kafka.bootstrap-servers", kafka.broker().bootstrapServers(), "kafka.group-id", "unexpectedstatus",
                "kafka.topics.modify-records", topic, "batch.max-wait", "200", "kafka.failure-pause", "300"), false);

        await("committed past every record").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> committed("unexpectedstatus", topic) == records.size());
        List<JsonNode> letters = harness.deadLetters().stream()
                .sorted(Comparator.comparingLong(l -> l.path("source").path("offset").asLong())).toList();
        assertThat(letters).as("each record dead-lettered once, never again").extracting(l -> l.path("source").path("offset").asLong())
                .containsExactly(0L, 1L);
        assertThat(letters).allSatisfy(l -> {
            assertThat(l.path("error").asText()).isEqualTo("error.request_refused");
            assertThat(l.path("httpStatus").asInt()).isEqualTo(405);
            assertThat(l.path("errorMessage").asText()).contains("HTTP 405");
        });
        harness.clearFaults();
        assertThat(harness.city("22", 1)).isNotEqualTo("Lost");
    }

    @Test
    void a_batch_whose_retries_ran_out_is_dead_lettered_once_and_its_offsets_committed() throws Exception {
        String topic = "exhausted.modify-records";
        kafka.broker().createTopic(topic, 1);
        harness = BridgeHarness.withSandbox(home);
        // every batch request answers 503: the batch is sent twice (one retry), then dead-lettered
        harness.faults("{\"errors\":{\"statuses\":[503],\"path\":\"/v2/projects/22/records\"}}");
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        records.add(new ProducerRecord<>(topic, "k", "{\"projectid\":22,\"numberid\":\"1\",\"form\":{\"city\":\"Down\"}}"));
        records.add(new ProducerRecord<>(topic, "k", "{\"projectid\":22,\"numberid\":\"2\",\"form\":{\"city\":\"Down\"}}"));
        produce(records);
        harness.startBridge(Map.of("kafka.bootstrap-servers", kafka.broker().bootstrapServers(), "kafka.group-id", "exhausted",
                "kafka.topics.modify-records", topic, "batch.max-wait", "200", "kafka.failure-pause", "300",
                "retry.max-retries", "1", "retry.initial-delay", "50"), false);

        await("committed past every record").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> committed("exhausted", topic) == records.size());
        List<JsonNode> letters = harness.deadLetters();
        assertThat(letters).as("each record dead-lettered once").extracting(l -> l.path("source").path("offset").asLong())
                .containsExactlyInAnyOrder(0L, 1L);
        assertThat(letters).allSatisfy(l -> assertThat(l.path("error").asText()).isEqualTo("error.dialer_unavailable"));
    }

    private static void produce(List<ProducerRecord<String, String>> records) throws Exception {
        kafka.broker().produce(records);
    }

    private static long committed(String group, String topic) throws Exception {
        try (Admin admin = kafka.broker().admin()) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
            return offset == null ? -1 : offset.offset();
        }
    }
}
