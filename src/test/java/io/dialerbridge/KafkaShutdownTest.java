package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.kafka.BrokerPerClass;
import io.dialerbridge.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.sandbox.SandboxSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A daemon stopped gracefully (SIGTERM: {@link Bridge#close}, what the daemon's shutdown hook calls) while it
 * consumes a topic: it stops polling at once, lets the batches in flight finish, commits exactly what is
 * accounted for and leaves the group, so the next member of the group sends nothing a second time.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaShutdownTest {

    private static final int PARTITIONS = 4;
    private static final int RECORDS = 1500;
    /** Small bounds, so the consumer pauses and resumes its partitions for load all the time, as under real load. */
    private static final int MAX_POLL = 100;
    private static final int MAX_IN_FLIGHT = 50;
    @RegisterExtension
    static final BrokerPerClass kafka = new BrokerPerClass(() -> EmbeddedKafkaBroker.start(PARTITIONS));

    @TempDir
    Path home;

    BridgeHarness harness;
    final String topic = "shutdown.modify-records";
    final String group = "bridge-shutdown";
    final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        kafka.broker().createTopic(topic, PARTITIONS);
        kafka.broker().createTopic("shutdown.dead-letter", 1);
        harness = BridgeHarness.withSandbox(home, SandboxSettings.defaults()
                .withSeedFile(KafkaPipelineTest.seedWithRecords(home, RECORDS)));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        harness.close();
    }

    @Test
    void a_daemon_stopped_mid_stream_commits_what_it_sent_and_its_successor_sends_nothing_twice() throws Exception {
        harness.faults("{\"latency\":{\"requestMs\":100,\"path\":\"/v2/projects/22/records\",\"method\":\"PUT\"}}");
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 1; i <= RECORDS; i++) {
            records.add(new ProducerRecord<>(topic, "22:" + i,
                    "{\"projectid\":22,\"numberid\":\"" + i + "\",\"form\":{\"city\":\"S-" + i + "\"}}"));
        }
        kafka.broker().produce(records);

        Bridge first = startBridge("first");
        await("the first daemon is sending").atMost(Duration.ofSeconds(60))
                .until(() -> first.deliveries().total().accepted() >= 200);
        int sentBeforeTheStop = sendsPerRecord().size();
        first.close(); // what the daemon's shutdown hook does on SIGTERM
        toClose.remove(first);
        int sentByTheFirst = sendsPerRecord().size();
        // only work read before the stop may still go: at most what a poll brings over the in-flight bound (twice,
        // for the polls between reading the request log and the stop); the old consumer polled on to the end
        assertThat(sentByTheFirst - sentBeforeTheStop).as("records sent after the stop signal (" + sentBeforeTheStop
                + " before it)").isLessThanOrEqualTo(2 * (MAX_IN_FLIGHT + MAX_POLL));
        assertThat(sentByTheFirst).as("stopped mid-stream").isLessThan(RECORDS);
        try (Admin admin = kafka.broker().admin()) {
            assertThat(admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group).members())
                    .as("the stopped daemon left the group: its partitions go to the next member at once").isEmpty();
        }

        Bridge second = startBridge("second");
        awaitCommittedAtEnd();
        second.close();
        toClose.remove(second);

        Map<String, Integer> twice = new TreeMap<>();
        sendsPerRecord().forEach((numberid, sends) -> {
            if (sends > 1) {
                twice.put(numberid, sends);
            }
        });
        assertThat(twice).as("records sent more than once (the first daemon sent " + sentByTheFirst + ")").isEmpty();
        for (int i = 1; i <= RECORDS; i += 97) {
            assertThat(harness.city("22", i)).isEqualTo("S-" + i);
        }
    }

    private Bridge startBridge(String name) throws Exception {
        Map<String, String> own = new HashMap<>();
        own.put("kafka.bootstrap-servers", kafka.broker().bootstrapServers());
        own.put("kafka.group-id", group);
        own.put("kafka.topics.modify-records", topic);
        own.put("dead-letter.target", "kafka");
        own.put("dead-letter.topic", "shutdown.dead-letter");
        own.put("batch.max-wait", "200");
        own.put("batch.max-elements", "20");
        own.put("kafka.max-poll-records", String.valueOf(MAX_POLL));
        own.put("kafka.max-in-flight-records", String.valueOf(MAX_IN_FLIGHT));
        own.put("camel.main.shutdown-timeout", "10");
        own.put("bridge.home", home.resolve(name).toString());
        own.put("camel.main.name", "bridge-" + name);
        Bridge bridge = Bridge.start(harness.options(own), Path.of("config/application.properties"), false);
        toClose.add(bridge);
        return bridge;
    }

    /** How many times the dialer was sent each record (by numberid) in an answered batch request. */
    private Map<String, Integer> sendsPerRecord() throws Exception {
        Map<String, Integer> sends = new TreeMap<>();
        for (JsonNode request : harness.requests()) {
            if (request.path("method").asText().equals("PUT") && request.path("path").asText().equals("/v2/projects/22/records")) {
                for (JsonNode element : BridgeHarness.JSON.readTree(request.path("body").asText()).path("elements")) {
                    sends.merge(element.path("numberid").asText(), 1, Integer::sum);
                }
            }
        }
        return sends;
    }

    private void awaitCommittedAtEnd() throws Exception {
        Map<TopicPartition, Long> ends = new HashMap<>();
        try (Admin admin = kafka.broker().admin()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        }
        await("committed offsets equal the end offsets " + ends).atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    try (Admin admin = kafka.broker().admin()) {
                        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                        return ends.entrySet().stream().allMatch(e -> e.getValue() == 0 || committed.get(e.getKey()) != null
                                && committed.get(e.getKey()).offset() == e.getValue());
                    }
                });
    }
}
