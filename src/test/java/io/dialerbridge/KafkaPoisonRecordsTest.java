package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.kafka.BrokerPerClass;
import io.dialerbridge.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.ops.BridgeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka's half of the reported cases: a value that is not valid UTF-8 is dead-lettered with its bytes,
 * never sent altered; poison records (a non-object, no project) are dead-lettered and committed past, so
 * no poll repeats forever; a tombstone (no value) is ignored, counted and committed past, as in every format.
 */
@Timeout(120)
class KafkaPoisonRecordsTest {

    private static final String TOPIC = "poison.modify-records";
    @RegisterExtension
    static final BrokerPerClass kafka = new BrokerPerClass(() -> EmbeddedKafkaBroker.start(1));

    @TempDir
    Path home;

    private BridgeHarness harness;

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

    @Test
    void kafka_invalid_bytes_are_dead_lettered_not_altered_poison_records_committed_past_and_a_tombstone_ignored() throws Exception {
        harness = BridgeHarness.withSandbox(home);
        String before = harness.city("22", 1);
        byte[] latin1 = "{\"projectid\":22,\"numberid\":\"1\",\"form\":{\"city\":\"\u00e9t\u00e9\"}}".getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> values = new ArrayList<>();
        values.add(latin1);
        values.add(null);
        values.add("[1,2]".getBytes(StandardCharsets.UTF_8));
        values.add("{\"numberid\":\"3\",\"form\":{\"city\":\"Nowhere\"}}".getBytes(StandardCharsets.UTF_8));
        values.add("{\"projectid\":22,\"numberid\":\"2\",\"form\":{\"city\":\"\u00e9t\u00e9\"}}".getBytes(StandardCharsets.UTF_8));
        produce(values);
        Bridge bridge = harness.startBridge(Map.of("kafka.bootstrap-servers", kafka.broker().bootstrapServers(), "kafka.group-id", "poison",
                "kafka.topics.modify-records", TOPIC, "batch.max-wait", "200", "kafka.failure-pause", "300"), false);

        await("committed past every record").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> committed() == values.size());
        assertThat(harness.city("22", 2)).isEqualTo("\u00e9t\u00e9");
        assertThat(harness.city("22", 1)).as("never sent, not even repaired").isEqualTo(before);
        List<JsonNode> letters = harness.deadLetters().stream()
                .sorted(Comparator.comparingLong(l -> l.path("source").path("offset").asLong())).toList();
        assertThat(letters).extracting(l -> l.path("source").path("offset").asLong()).as("not the tombstone at 1")
                .containsExactly(0L, 2L, 3L);
        assertThat(letters).extracting(l -> l.path("error").asText()).containsExactly("error.malformed_encoding",
                "error.malformed_element", "error.missing_projectid");
        MeterRegistry registry = bridge.context().getRegistry().lookupByNameAndType("bridgeMetrics", BridgeMetrics.class).registry();
        assertThat(registry.find("dialer_bridge_elements_ignored").tags("project", "unknown", "operation", "modify-records",
                "reason", "tombstone").counter()).as("the tombstone counted as ignored").isNotNull()
                .extracting(Counter::count).isEqualTo(1.0);
        JsonNode invalid = letters.get(0);
        assertThat(invalid.path("source").path("topic").asText()).isEqualTo(TOPIC);
        assertThat(invalid.path("source").path("partition").asInt()).isZero();
        assertThat(Base64.getDecoder().decode(invalid.path("rawBase64").asText())).isEqualTo(latin1);
        assertThat(invalid.path("errorMessage").asText()).contains("UTF-8");
    }


    private static void produce(List<byte[]> values) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.broker().bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(TOPIC, "22", value)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static long committed() throws Exception {
        try (Admin admin = kafka.broker().admin()) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets("poison").partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(new TopicPartition(TOPIC, 0));
            return offset == null ? -1 : offset.offset();
        }
    }
}
