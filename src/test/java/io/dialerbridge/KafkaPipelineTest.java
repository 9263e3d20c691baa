package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.kafka.BrokerPerClass;
import io.dialerbridge.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.sandbox.SandboxSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka to the dialer end to end: a real in-JVM KRaft broker (one per class), the sandbox over real
 * HTTP on loopback, the real routes and config/. Each test has its own topics and consumer group.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaPipelineTest {

    private static final int PARTITIONS = 4;
    private static final AtomicInteger RUN = new AtomicInteger();
    @RegisterExtension
    static final BrokerPerClass kafka = new BrokerPerClass(() -> EmbeddedKafkaBroker.start(PARTITIONS));

    @TempDir
    Path home;

    BridgeHarness harness;
    String topic;
    String deadLetterTopic;
    String group;
    final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        int run = RUN.incrementAndGet();
        topic = "t" + run + ".modify-records";
        deadLetterTopic = "t" + run + ".dead-letter";
        group = "bridge-" + run;
        kafka.broker().createTopic(topic, PARTITIONS);
        kafka.broker().createTopic(deadLetterTopic, 1);
        harness = BridgeHarness.withSandbox(home, SandboxSettings.defaults().withSeedFile(seedWithRecords(home, 500)));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        harness.close();
    }

    // ---- the four scenarios of the issue, and a failed poll ----

    @Test
    void the_sandbox_holds_exactly_the_good_elements_and_the_dead_letter_topic_exactly_the_bad_ones() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        harness.startBridge(overrides(Map.of("management.enabled", "true", "management.port", String.valueOf(port))), false);
        Map<String, String> good = new LinkedHashMap<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        Map<Integer, String> expectedError = new HashMap<>();
        for (int i = 1; i <= 60; i++) {
            String city = "Good-" + i;
            good.put(String.valueOf(i), city);
            records.add(element(22, i, city));
            if (i % 10 == 0) {
                expectedError.put(records.size(), "error.malformed_json");
                records.add(new ProducerRecord<>(topic, "22:bad" + i, "{\"projectid\":22,\"numberid\":\"" + i + "\",\"form\":"));
                expectedError.put(records.size(), "error.record_not_exists");
                records.add(element(22, 9000 + i, "Ghost"));
            }
        }
        expectedError.put(records.size(), "error.missing_projectid");
        records.add(new ProducerRecord<>(topic, "x", "{\"numberid\":\"1\",\"form\":{\"city\":\"Nowhere\"}}"));
        expectedError.put(records.size(), "error.field_not_exists");
        records.add(new ProducerRecord<>(topic, "22:7", "{\"projectid\":22,\"numberid\":\"7\",\"form\":{\"shoe_size\":\"44\"}}"));
        expectedError.put(records.size(), "error.missing_numberid_or_search");
        records.add(new ProducerRecord<>(topic, "22:?", "{\"projectid\":22,\"form\":{\"city\":\"Anywhere\"}}"));
        ProducerRecord<String, String> viaHeader = new ProducerRecord<>(topic, "22:61", "{\"numberid\":\"61\",\"form\":{\"city\":\"Header-61\"}}");
        viaHeader.headers().add("projectid", "22".getBytes(StandardCharsets.UTF_8));
        records.add(viaHeader);
        good.put("61", "Header-61");

        List<RecordMetadata> written = produce(records);

        awaitCommittedAtEnd();
        for (Map.Entry<String, String> entry : good.entrySet()) {
            assertThat(harness.city("22", Long.parseLong(entry.getKey()))).as("record " + entry.getKey()).isEqualTo(entry.getValue());
        }
        List<ConsumerRecord<String, String>> letters = readAll(deadLetterTopic);
        Map<String, String> expected = new TreeMap<>();
        expectedError.forEach((index, error) -> expected.put(coordinates(written.get(index)), error));
        Map<String, String> actual = new TreeMap<>();
        for (ConsumerRecord<String, String> letter : letters) {
            actual.put(header(letter, "source-topic") + "-" + header(letter, "source-partition") + "@"
                    + header(letter, "source-offset"), header(letter, "error"));
            JsonNode envelope = BridgeHarness.JSON.readTree(letter.value());
            assertThat(envelope.path("error").asText()).isEqualTo(header(letter, "error"));
            assertThat(envelope.path("errorMessage").asText()).isEqualTo(header(letter, "error-message"));
            assertThat(envelope.path("source").path("topic").asText()).isEqualTo(topic);
            assertThat(envelope.path("source").path("offset").asLong()).isEqualTo(Long.parseLong(header(letter, "source-offset")));
            assertThat(envelope.path("operation").asText()).isEqualTo("modify-records");
            assertThat(letter.value()).doesNotContain("Basic ").doesNotContain("sandbox:sandbox");
        }
        assertThat(actual).as("dead letters by source coordinates").isEqualTo(expected);
        assertThat(letters.stream().filter(l -> header(l, "error").equals("error.malformed_json"))
                .map(l -> readJson(l.value()).path("raw").asText()))
                .contains("{\"projectid\":22,\"numberid\":\"10\",\"form\":");
        // exactly the good and the refused elements went to the dialer, once each; the element naming shoe_size
        // was refused by the pre-flight field check without a request, against fields read once for project 22
        assertThat(elementsSent()).isEqualTo(good.size() + 6);
        assertThat(harness.requestsTo("GET", "/v2/projects/22")).as("the fields, cached per project").isEqualTo(1);
        assertThat(harness.deadLetters()).as("no dead-letter files with dead-letter.target=kafka").isEmpty();
        // the consumer lag of every partition, once all is committed
        await("a lag of 0 on every partition in /observe/metrics").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                assertThat(metrics.lines()).contains("dialer_bridge_kafka_consumer_lag{partition=\"" + partition
                        + "\",topic=\"" + topic + "\"} 0.0");
            }
        });
    }

    @Test
    void a_bridge_killed_mid_batch_commits_nothing_and_its_successor_loses_nothing() throws Exception {
        harness.faults("{\"latency\":{\"requestMs\":60000,\"path\":\"/v2/projects/22/records\",\"method\":\"PUT\"}}");
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            records.add(element(22, i, "Crash-" + i));
        }
        produce(records);

        Process first = startChild("first");
        try {
            await("a batch sent").atMost(Duration.ofSeconds(60)).until(() -> elementsSent() > 0);
            List<String> inFlight = new ArrayList<>();
            JsonNode firstPut = harness.requests().stream().filter(r -> r.path("method").asText().equals("PUT"))
                    .findFirst().orElseThrow();
            for (JsonNode element : readJson(firstPut.path("body").asText()).path("elements")) {
                inFlight.add(element.path("numberid").asText());
            }
            await("the batch applied by the dialer, its answer still delayed").atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        for (String n : inFlight) {
                            if (!("Crash-" + n).equals(harness.city("22", Long.parseLong(n)))) {
                                return false;
                            }
                        }
                        return true;
                    });
            assertThat(first.isAlive()).isTrue();
        } finally {
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        long sentBeforeTheCrash = elementsSent();
        assertThat(committed().values().stream().mapToLong(OffsetAndMetadata::offset).sum())
                .as("nothing committed by the killed bridge").isZero();

        harness.clearFaults();
        harness.vccGet("/projects/22"); // the sandbox still answers
        Process second = startChild("second");
        try {
            awaitCommittedAtEnd();
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }
        for (int i = 1; i <= 30; i++) {
            assertThat(harness.city("22", i)).isEqualTo("Crash-" + i);
        }
        assertThat(readAll(deadLetterTopic)).isEmpty();
        assertThat(elementsSent()).as("every element of the uncommitted poll is sent again: at-least-once")
                .isEqualTo(sentBeforeTheCrash + 30);
    }

    @Test
    void two_instances_in_one_group_share_the_partitions_and_lose_nothing_across_rebalances() throws Exception {
        harness.faults("{\"latency\":{\"requestMs\":100,\"path\":\"/v2/projects/22/records\",\"method\":\"PUT\"}}");
        Map<String, String> overrides = overrides(Map.of("batch.max-elements", "10"));
        Bridge a = startBridge(overrides, "a");
        produce(range(1, 150, "R"));
        await("a is working").atMost(Duration.ofSeconds(30)).until(() -> a.deliveries().total().accepted() > 0);

        Bridge b = startBridge(overrides, "b");
        await("the group rebalanced: two members, each with partitions").atMost(Duration.ofSeconds(60))
                .until(() -> membersWithPartitions() == 2);
        produce(range(151, 300, "R"));
        await("b is working").atMost(Duration.ofSeconds(60)).until(() -> b.deliveries().total().accepted() > 0);
        produce(range(301, 400, "R"));
        a.close();
        toClose.remove(a);
        await("b took over every partition").atMost(Duration.ofSeconds(60)).until(() -> membersWithPartitions() == 1);

        awaitCommittedAtEnd();
        for (int i = 1; i <= 400; i++) {
            assertThat(harness.city("22", i)).as("record " + i).isEqualTo("R-" + i);
        }
        assertThat(readAll(deadLetterTopic)).isEmpty();
        long accepted = a.deliveries().total().accepted() + b.deliveries().total().accepted();
        assertThat(accepted).as("every element accepted, some perhaps twice (at-least-once)").isGreaterThanOrEqualTo(400);
        assertThat(elementsSent()).isEqualTo(accepted);
    }

    @Test
    void the_later_of_two_updates_to_one_record_wins_in_one_poll_and_across_polls() throws Exception {
        // one poll: v1 and v2 of records 1..10 are on the topic before the bridge starts
        List<ProducerRecord<String, String>> first = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            first.add(element(22, i, "v1-" + i));
        }
        for (int i = 1; i <= 10; i++) {
            first.add(element(22, i, "v2-" + i));
        }
        produce(first);
        Bridge bridge = harness.startBridge(overrides(Map.of("batch.max-elements", "500")), false);
        awaitCommittedAtEnd();
        for (int i = 1; i <= 10; i++) {
            assertThat(harness.city("22", i)).isEqualTo("v2-" + i);
        }
        bridge.close();

        // across polls of 4 records, two consumer threads, batches in flight at once, the slower first
        harness.faults("{\"latency\":{\"requestMs\":300,\"everyNth\":2,\"path\":\"/v2/projects/22/records\",\"method\":\"PUT\"}}");
        harness.startBridge(overrides(Map.of("batch.max-elements", "4", "kafka.consumers", "2")), false);
        List<ProducerRecord<String, String>> later = new ArrayList<>();
        for (int round = 3; round <= 6; round++) {
            for (int i = 1; i <= 10; i++) {
                later.add(element(22, i, "v" + round + "-" + i));
            }
        }
        produce(later);
        awaitCommittedAtEnd();
        for (int i = 1; i <= 10; i++) {
            assertThat(harness.city("22", i)).isEqualTo("v6-" + i);
        }
        assertThat(readAll(deadLetterTopic)).isEmpty();
    }

    @Test
    void refused_credentials_pause_the_consumer_without_committing_or_dead_lettering() throws Exception {
        harness.faults("{\"rejectCredentials\":true}");
        Bridge bridge = harness.startBridge(overrides(Map.of("retry.credentials-probe-interval", "200")), false);
        produce(range(1, 10, "P"));
        await("sending paused").atMost(Duration.ofSeconds(60)).until(() -> bridge.gate().isCredentialsRefused());
        produce(range(11, 20, "P"));
        await("still paused, nothing committed").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                .until(() -> bridge.gate().isCredentialsRefused()
                        && committed().values().stream().mapToLong(OffsetAndMetadata::offset).sum() == 0);
        assertThat(unauthorized()).as("one refused batch closes the gate; no retry storm").isEqualTo(1);

        harness.clearFaults();
        awaitCommittedAtEnd();
        for (int i = 1; i <= 20; i++) {
            assertThat(harness.city("22", i)).isEqualTo("P-" + i);
        }
        assertThat(readAll(deadLetterTopic)).isEmpty();
    }

    @Test
    void a_dropped_file_is_published_to_its_topic_and_moves_to_done_only_after_the_acks() throws Exception {
        Bridge bridge = harness.startBridge(overrides(Map.of("ingest.file.mode", "kafka")), true);
        harness.drop("22", "modify-records", "drop.ndjson", """
                {"numberid":"1","form":{"city":"F1"}}
                {"numberid":"2","form":{"city":
                {"numberid":"3","form":{"city":"F3"}}
                """);

        harness.awaitReport("22", "modify-records", "drop.ndjson", Duration.ofSeconds(30));
        awaitCommittedAtEnd();
        List<ConsumerRecord<String, String>> published = readAll(topic);
        assertThat(published).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("22:1", "22:3");
        assertThat(published).extracting(r -> header(r, "source-line")).containsExactlyInAnyOrder("1", "3");
        assertThat(published).extracting(r -> header(r, "source-file")).containsOnly("22/modify-records/drop.ndjson");
        assertThat(published).extracting(r -> readJson(r.value()).path("projectid").asText()).containsOnly("22");
        assertThat(harness.city("22", 1)).isEqualTo("F1");
        assertThat(harness.city("22", 3)).isEqualTo("F3");
        List<ConsumerRecord<String, String>> letters = readAll(deadLetterTopic);
        assertThat(letters).extracting(l -> header(l, "source-line") + " " + header(l, "error"))
                .containsExactly("2 error.malformed_json");
        // the daemon's metrics count the line dead-lettered before publishing, as they count a batch's
        io.micrometer.core.instrument.MeterRegistry registry = bridge.context().getRegistry()
                .lookupByNameAndType("bridgeMetrics", io.dialerbridge.ops.BridgeMetrics.class).registry();
        assertThat(registry.find("dialer_bridge_elements_dead_lettered").tag("error", "error.malformed_json")
                .tag("project", "22").counter()).isNotNull().extracting(c -> c.count()).isEqualTo(1.0);
    }

    // ---- helpers ----

    private Map<String, String> overrides(Map<String, String> extra) {
        Map<String, String> all = new HashMap<>();
        all.put("kafka.bootstrap-servers", kafka.broker().bootstrapServers());
        all.put("kafka.group-id", group);
        all.put("kafka.topics.modify-records", topic);
        all.put("dead-letter.target", "kafka");
        all.put("dead-letter.topic", deadLetterTopic);
        all.put("batch.max-wait", "200");
        all.put("kafka.failure-pause", "300");
        all.putAll(extra);
        return all;
    }

    private Bridge startBridge(Map<String, String> overrides, String name) throws Exception {
        Map<String, String> own = new HashMap<>(overrides);
        own.put("bridge.home", home.resolve(name).toString());
        own.put("camel.main.name", "bridge-" + name);
        Bridge bridge = Bridge.start(harness.options(own), Path.of("config/application.properties"), false);
        toClose.add(bridge);
        return bridge;
    }

    private Process startChild(String name) throws Exception {
        Map<String, String> env = harness.childEnvironment(home.resolve(name));
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.broker().bootstrapServers());
        env.put("KAFKA_GROUP_ID", group);
        env.put("KAFKA_TOPICS_MODIFY_RECORDS", topic);
        env.put("DEAD_LETTER_TARGET", "kafka");
        env.put("DEAD_LETTER_TOPIC", deadLetterTopic);
        env.put("BATCH_MAX_WAIT", "200");
        env.put("VCC_RESPONSE_TIMEOUT", "120000");
        return harness.startDaemon(name, env);
    }

    private ProducerRecord<String, String> element(int project, int numberid, String city) {
        return new ProducerRecord<>(topic, project + ":" + numberid,
                "{\"projectid\":" + project + ",\"numberid\":\"" + numberid + "\",\"form\":{\"city\":\"" + city + "\"}}");
    }

    private List<ProducerRecord<String, String>> range(int from, int to, String prefix) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            records.add(element(22, i, prefix + "-" + i));
        }
        return records;
    }

    private static List<RecordMetadata> produce(List<ProducerRecord<String, String>> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.broker().bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        List<java.util.concurrent.Future<RecordMetadata>> futures = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (ProducerRecord<String, String> record : records) {
                futures.add(producer.send(record));
            }
            producer.flush();
            List<RecordMetadata> written = new ArrayList<>();
            for (java.util.concurrent.Future<RecordMetadata> future : futures) {
                written.add(future.get(30, TimeUnit.SECONDS));
            }
            return written;
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> committed() throws Exception {
        try (Admin admin = kafka.broker().admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> ofTopic = new HashMap<>();
            offsets.forEach((tp, offset) -> {
                if (tp.topic().equals(topic) && offset != null) {
                    ofTopic.put(tp, offset);
                }
            });
            return ofTopic;
        }
    }

    private long membersWithPartitions() throws Exception {
        try (Admin admin = kafka.broker().admin()) {
            return admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group).members()
                    .stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
        }
    }

    private Map<TopicPartition, Long> endOffsets(String name) throws Exception {
        try (Admin admin = kafka.broker().admin()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            int partitions = admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions().size();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(name, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        }
    }

    /** Waits until the group's committed offset of every partition equals its end offset. */
    private void awaitCommittedAtEnd() throws Exception {
        Map<TopicPartition, Long> ends = endOffsets(topic);
        await("committed offsets equal the end offsets " + ends).atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    Map<TopicPartition, OffsetAndMetadata> committed = committed();
                    return ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                            || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() == e.getValue()));
                });
    }

    private static List<ConsumerRecord<String, String>> readAll(String name) throws Exception {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.broker().bootstrapServers());
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> partitions = consumer.partitionsFor(name).stream()
                    .map(info -> new TopicPartition(name, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String coordinates(RecordMetadata metadata) {
        return metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset();
    }

    private static JsonNode readJson(String text) {
        try {
            return BridgeHarness.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many elements the dialer was sent in batch requests. */
    private long elementsSent() throws Exception {
        long count = 0;
        for (JsonNode request : harness.requests()) {
            if (request.path("method").asText().equals("PUT") && request.path("path").asText().equals("/v2/projects/22/records")) {
                count += readJson(request.path("body").asText()).path("elements").size();
            }
        }
        return count;
    }

    private long unauthorized() throws Exception {
        return harness.requests().stream().filter(r -> r.path("status").asInt() == 401 && r.path("method").asText().equals("PUT"))
                .count();
    }

    /** config/sandbox-seed.json with project 22 holding records 1..count (city empty). */
    static Path seedWithRecords(Path dir, int count) throws Exception {
        ObjectNode seed = (ObjectNode) BridgeHarness.JSON.readTree(Path.of("config/sandbox-seed.json").toFile());
        for (JsonNode project : seed.path("vcc").path("projects")) {
            if (project.path("projectid").asInt() == 22) {
                ArrayNode records = ((ObjectNode) project).putArray("records");
                for (int i = 1; i <= count; i++) {
                    records.addObject().put("numberid", i).putObject("data").put("name", "Person " + i);
                }
            }
        }
        Path file = dir.resolve("seed-" + count + ".json");
        BridgeHarness.JSON.writeValue(file.toFile(), seed);
        return file;
    }
}
