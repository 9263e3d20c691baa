package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.kafka.BrokerPerClass;
import io.dialerbridge.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.sandbox.SandboxSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Inputs as a CRM gives them, through the real routes: a CSV export with its own column names, and
 * Debezium change events of a CRM table on Kafka, both mapped by mapping.file to the dialer's fields.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MappedInputsEndToEndTest {

    private static final String MAPPING = """
            "22":
              modify-records:
                numberid: crm_id
                form:
                  name: full_name
                  city: address.town
            """;
    @RegisterExtension
    static final BrokerPerClass kafka = new BrokerPerClass(() -> EmbeddedKafkaBroker.start(1));

    @TempDir
    Path home;

    BridgeHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = BridgeHarness.withSandbox(home, SandboxSettings.defaults()
                .withSeedFile(KafkaPipelineTest.seedWithRecords(home, 10)));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void a_csv_export_is_mapped_by_column_name_and_its_dead_letters_keep_the_original_line() throws Exception {
        harness.startBridge(Map.of("mapping.file", mappingFile().toString()), true);
        harness.drop("22", "modify-records", "crm.csv", """
                crm_id,full_name,address.town,notes
                1,Kiss Anna,Vác,called twice
                ,Nagy Béla,Eger,
                """);

        JsonNode report = harness.awaitReport("22", "modify-records", "crm.csv");

        assertThat(report.path("accepted").asInt()).isEqualTo(1);
        assertThat(harness.city("22", 1)).isEqualTo("Vác");
        assertThat(harness.record("22", 1).path("data").path("name").asText()).isEqualTo("Kiss Anna");
        List<JsonNode> letters = harness.assertDeadLettered(List.of(3L), List.of("error.missing_numberid_or_search"));
        assertThat(letters.get(0).path("raw").asText()).isEqualTo(",Nagy Béla,Eger,");
    }

    @Test
    void debezium_change_events_of_a_crm_table_are_unwrapped_mapped_and_sent_to_the_default_project() throws Exception {
        String topic = "crm.public.customers";
        kafka.broker().createTopic(topic, 1);
        harness.startBridge(Map.of("mapping.file", mappingFile().toString(),
                "kafka.bootstrap-servers", kafka.broker().bootstrapServers(),
                "kafka.topics.modify-records", topic,
                "kafka.format", "debezium",
                "kafka.default-project", "22",
                "batch.max-wait", "200"), false);

        String row2 = "{\"crm_id\":2,\"full_name\":\"Nagy Béla\",\"address\":{\"town\":\"Eger\"}}";
        produce(topic, Arrays.asList(
                "{\"schema\":{\"type\":\"struct\",\"optional\":false,\"name\":\"crm.public.customers.Envelope\"},"
                        + "\"payload\":{\"before\":null,\"after\":" + row2 + ",\"source\":{\"connector\":\"postgresql\","
                        + "\"table\":\"customers\"},\"op\":\"c\",\"ts_ms\":1733140000123}}",
                "{\"before\":" + row2 + ",\"after\":{\"crm_id\":2,\"full_name\":\"Nagy Béla\",\"address\":{\"town\":\"Győr\"}},"
                        + "\"source\":{\"connector\":\"postgresql\",\"table\":\"customers\"},\"op\":\"u\",\"ts_ms\":1733140000200}",
                "{\"before\":{\"crm_id\":3},\"after\":null,\"source\":{\"connector\":\"postgresql\"},\"op\":\"d\",\"ts_ms\":1733140000300}",
                null));

        await("the four events committed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> committed(topic) == 4);
        assertThat(harness.city("22", 2)).isEqualTo("Győr");
        assertThat(harness.record("22", 2).path("data").path("name").asText()).isEqualTo("Nagy Béla");
        // the delete is dead-lettered (kafka.debezium.deletes=dead-letter, the default: the dialer has no delete), the
        // tombstone after it only counted
        assertThat(harness.deadLetters()).extracting(l -> l.path("source").path("offset").asInt() + " " + l.path("error").asText())
                .containsExactly("2 error.delete_event");
    }

    private Path mappingFile() throws Exception {
        Path file = home.resolve("mapping.yaml");
        Files.writeString(file, MAPPING);
        return file;
    }

    private static void produce(String topic, List<String> values) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.broker().bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, "{\"crm_id\":2}", value)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static long committed(String topic) throws Exception {
        try (Admin admin = kafka.broker().admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(admin.listConsumerGroupOffsets("dialer-bridge")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS));
            OffsetAndMetadata offset = offsets.get(new TopicPartition(topic, 0));
            return offset == null ? 0 : offset.offset();
        }
    }
}
