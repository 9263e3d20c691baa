package io.dialerbridge;

import io.dialerbridge.kafka.BrokerPerClass;
import io.dialerbridge.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM ({@link Bridge#close}, what the daemon's shutdown hook calls) while the dialer refuses the
 * credentials: the stop is prompt, and nothing is lost: the work waiting at the dialer gate stays
 * unacknowledged in its source (the file in the inbox, the offsets not committed) and goes on the next
 * start, once the credentials work.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StopWhileCredentialsRefusedTest {

    private static final String TOPIC = "refused.modify-records";
    private static final String GROUP = "refused";
    /** Well under camel.main.shutdown-timeout (30 s), the bound the old stop ran into (and beyond, ~100 s). */
    private static final Duration PROMPT = Duration.ofSeconds(10);
    @RegisterExtension
    static final BrokerPerClass kafka = new BrokerPerClass(() -> EmbeddedKafkaBroker.start(1));

    @TempDir
    Path home;

    private BridgeHarness harness;
    private Bridge bridge;

    @BeforeAll
    static void createTopics() {
        kafka.broker().createTopic(TOPIC, 1);
    }

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void a_stop_while_the_credentials_are_refused_is_prompt_and_the_file_stays_in_the_inbox() throws Exception {
        harness = BridgeHarness.withSandbox(home);
        bridge = Bridge.start(harness.options(Map.of("vcc.token", "wrong", "batch.max-wait", "200")),
                Path.of("config/application.properties"), true);
        Path file = harness.drop("22", "modify-records", "refused.ndjson",
                "{\"numberid\":\"1\",\"form\":{\"city\":\"Refused-1\"}}\n{\"numberid\":\"2\",\"form\":{\"city\":\"Refused-2\"}}\n");
        await("the dialer refused the credentials").atMost(Duration.ofSeconds(60)).until(() -> bridge.gate().isCredentialsRefused());

        assertStopsPromptly();
        assertThat(file).as("not accounted for: stays in the inbox").exists();
        assertThat(harness.done("22", "modify-records", "refused.ndjson")).doesNotExist();
        assertThat(harness.deadLetters()).as("nothing dead-lettered for refused credentials").isEmpty();

        bridge = Bridge.start(harness.options(Map.of("batch.max-wait", "200")), Path.of("config/application.properties"), true);
        await("the file sent on the next start").atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(harness.done("22", "modify-records", "refused.ndjson")));
        assertThat(harness.city("22", 1)).isEqualTo("Refused-1");
        assertThat(harness.city("22", 2)).isEqualTo("Refused-2");
        assertThat(harness.deadLetters()).isEmpty();
    }

    @Test
    void a_stop_while_the_credentials_are_refused_is_prompt_and_commits_nothing_unsent() throws Exception {
        harness = BridgeHarness.withSandbox(home);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            records.add(new ProducerRecord<>(TOPIC, "22:" + i,
                    "{\"projectid\":22,\"numberid\":\"" + i + "\",\"form\":{\"city\":\"K-" + i + "\"}}"));
        }
        kafka.broker().produce(records);
        bridge = Bridge.start(harness.options(kafkaOptions("wrong")), Path.of("config/application.properties"), false);
        await("the dialer refused the credentials").atMost(Duration.ofSeconds(60)).until(() -> bridge.gate().isCredentialsRefused());

        assertStopsPromptly();
        assertThat(committed()).as("nothing accounted for: nothing committed").isLessThanOrEqualTo(0);
        assertThat(harness.deadLetters()).as("nothing dead-lettered for refused credentials").isEmpty();

        bridge = Bridge.start(harness.options(kafkaOptions("sandbox")), Path.of("config/application.properties"), false);
        await("every record sent and committed on the next start").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> committed() == records.size());
        for (int i = 1; i <= 3; i++) {
            assertThat(harness.city("22", i)).isEqualTo("K-" + i);
        }
        assertThat(harness.deadLetters()).isEmpty();
    }

    private Map<String, String> kafkaOptions(String token) {
        Map<String, String> own = new HashMap<>();
        own.put("vcc.token", token);
        own.put("kafka.bootstrap-servers", kafka.broker().bootstrapServers());
        own.put("kafka.group-id", GROUP);
        own.put("kafka.topics.modify-records", TOPIC);
        own.put("batch.max-wait", "200");
        return own;
    }

    private void assertStopsPromptly() {
        long started = System.nanoTime();
        bridge.close();
        bridge = null;
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).as("the stop took " + took.toMillis() + " ms").isLessThan(PROMPT);
    }

    private static long committed() throws Exception {
        try (Admin admin = kafka.broker().admin()) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(new TopicPartition(TOPIC, 0));
            return offset == null ? -1 : offset.offset();
        }
    }
}
