package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.kafka.CapturedLog;
import io.dialerbridge.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.kafka.TestCertificates;
import io.dialerbridge.sandbox.SandboxSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Kafka that admits only authenticated clients: an in-JVM broker whose bridge-facing listeners take
 * only SASL (PLAIN, SCRAM-SHA-512, OAUTHBEARER), only TLS (a self-signed test CA, host name verified),
 * or only mutual TLS; the bridge configured the way a Camel user configures it
 * ({@code camel.component.kafka.*}). The test's own clients use the broker's plaintext listener.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaSecurityTest {

    private static final String PASSWORD = "bridge-secret";
    private static final AtomicInteger RUN = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static EmbeddedKafkaBroker kafka;
    private static TestCertificates certificates;

    @TempDir
    static Path certificatesDir;

    @TempDir
    Path home;

    BridgeHarness harness;
    CapturedLog log;
    String topic;
    String deadLetterTopic;
    String group;

    @BeforeAll
    static void startBroker() {
        certificates = TestCertificates.create(certificatesDir);
        kafka = EmbeddedKafkaBroker.startWithSaslAndTls(2, Map.of("bridge", PASSWORD), certificates);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        int run = RUN.incrementAndGet();
        topic = "s" + run + ".modify-records";
        deadLetterTopic = "s" + run + ".dead-letter";
        group = "secure-bridge-" + run;
        kafka.createTopic(topic, 2);
        kafka.createTopic(deadLetterTopic, 1);
        harness = BridgeHarness.withSandbox(home, SandboxSettings.defaults()
                .withSeedFile(KafkaPipelineTest.seedWithRecords(home, 20)));
        log = CapturedLog.start();
    }

    @AfterEach
    void stop() {
        harness.close();
        log.close();
    }

    @Test
    void with_sasl_plain_credentials_the_consumer_the_dead_letter_producer_and_the_file_publisher_all_connect()
            throws Exception {
        harness.startBridge(overrides(plain(PASSWORD), Map.of("ingest.file.mode", "kafka")), true);
        produce(List.of(element(1, "Sasl-1"), new ProducerRecord<>(topic, "22:2", "{\"projectid\":22,\"numberid\":")));
        harness.drop("22", "modify-records", "drop.ndjson", """
                {"numberid":"3","form":{"city":"File-3"}}
                {"form":{"city":"Nowhere"}}
                """);

        harness.awaitReport("22", "modify-records", "drop.ndjson", Duration.ofSeconds(30));
        awaitCommittedAtEnd();
        assertThat(harness.city("22", 1)).isEqualTo("Sasl-1");
        assertThat(harness.city("22", 3)).isEqualTo("File-3");
        assertThat(readAll(deadLetterTopic)).extracting(l -> header(l, "error"))
                .containsExactlyInAnyOrder("error.malformed_json", "error.missing_numberid_or_search");
    }

    @Test
    void a_wrong_password_turns_readiness_down_naming_the_settings_and_the_right_one_loses_nothing()
            throws Exception {
        int port = freePort();
        Bridge refused = harness.startBridge(overrides(plain("wrong-password"),
                Map.of("management.enabled", "true", "management.port", String.valueOf(port))), false);
        produce(List.of(element(1, "After-1"), element(2, "After-2")));

        await("kafka-access DOWN").atMost(Duration.ofSeconds(30))
                .until(() -> health(port).body().contains("{\"name\":\"kafka-access\",\"status\":\"DOWN\""));
        String health = health(port).body();
        assertThat(health).contains("authentication failed")
                .contains("sasl-jaas-config").doesNotContain("wrong-password");
        assertThat(harness.city("22", 1)).isNotEqualTo("After-1");
        assertThat(log.all()).noneMatch(line -> line.text().contains("wrong-password"));
        assertThat(log.bridgeWarnings()).filteredOn(line -> line.text().contains("Kafka refuses")).hasSize(1);
        refused.close();

        harness.startBridge(overrides(plain(PASSWORD), Map.of()), false);
        awaitCommittedAtEnd();
        assertThat(harness.city("22", 1)).isEqualTo("After-1");
        assertThat(harness.city("22", 2)).isEqualTo("After-2");
        assertThat(readAll(deadLetterTopic)).isEmpty();
    }

    @Test
    void with_sasl_scram_the_bridge_waits_until_the_broker_admits_its_user_and_then_delivers() throws Exception {
        String user = "scram-" + RUN.get();
        int port = freePort();
        harness.startBridge(overrides(Map.of(
                "camel.component.kafka.security-protocol", "SASL_PLAINTEXT",
                "camel.component.kafka.sasl-mechanism", "SCRAM-SHA-512",
                "camel.component.kafka.sasl-jaas-config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"" + user + "\" password=\"scram-secret\";"),
                Map.of("management.enabled", "true", "management.port", String.valueOf(port))), false);
        produce(List.of(element(4, "Scram-4")));
        await("kafka-access DOWN").atMost(Duration.ofSeconds(30))
                .until(() -> health(port).body().contains("{\"name\":\"kafka-access\",\"status\":\"DOWN\""));

        kafka.addScramUser(user, "scram-secret");

        await("readiness UP").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(health(port).body()).startsWith("{\"status\":\"UP\""));
        awaitCommittedAtEnd();
        assertThat(harness.city("22", 4)).isEqualTo("Scram-4");
    }

    @Test
    void over_sasl_oauthbearer_with_an_unsecured_token_the_bridge_delivers() throws Exception {
        harness.startBridge(overrides(Map.of(
                "camel.component.kafka.security-protocol", "SASL_PLAINTEXT",
                "camel.component.kafka.sasl-mechanism", "OAUTHBEARER",
                "camel.component.kafka.sasl-jaas-config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule "
                        + "required unsecuredLoginStringClaim_sub=\"bridge\";"), Map.of()), false);
        produce(List.of(element(5, "Oauth-5")));

        awaitCommittedAtEnd();
        assertThat(harness.city("22", 5)).isEqualTo("Oauth-5");
    }

    @Test
    void a_bridge_without_security_against_a_sasl_listener_logs_one_line_naming_security_protocol() throws Exception {
        int port = freePort();
        harness.startBridge(overrides(Map.of(), management(port)), false);
        produce(List.of(element(6, "Never-6")));

        String refusal = awaitRefusal(port);
        assertThat(refusal).contains("wants SASL authentication").contains("PLAIN, SCRAM-SHA-512, OAUTHBEARER")
                .contains("security-protocol is PLAINTEXT").contains("camel.component.kafka.security-protocol");
        assertOneRefusalLineAndNoFlood();
    }

    @Test
    void a_sasl_bridge_against_a_plaintext_listener_logs_one_line_naming_security_protocol_and_no_secret()
            throws Exception {
        int port = freePort();
        Map<String, String> options = overrides(plain(PASSWORD), management(port));
        options.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        harness.startBridge(options, false);

        String refusal = awaitRefusal(port);
        assertThat(refusal).contains("security-protocol").contains("SASL");
        assertOneRefusalLineAndNoFlood();
        assertThat(log.all()).noneMatch(line -> line.text().contains(PASSWORD));
    }

    @Test
    void over_tls_with_the_test_ca_in_the_trust_store_the_bridge_delivers_with_host_names_verified() throws Exception {
        harness.startBridge(overrides(tls(false), Map.of("kafka.bootstrap-servers", kafka.tlsBootstrapServers())), false);
        produce(List.of(element(7, "Tls-7"), new ProducerRecord<>(topic, "22:8", "{\"projectid\":22,\"numberid\":")));

        awaitCommittedAtEnd();
        assertThat(harness.city("22", 7)).isEqualTo("Tls-7");
        assertThat(readAll(deadLetterTopic)).extracting(l -> header(l, "error")).containsExactly("error.malformed_json");
    }

    @Test
    void without_the_trust_store_tls_is_refused_with_one_line_naming_the_trust_store() throws Exception {
        int port = freePort();
        Map<String, String> extra = new HashMap<>(management(port));
        extra.put("kafka.bootstrap-servers", kafka.tlsBootstrapServers());
        harness.startBridge(overrides(Map.of("camel.component.kafka.security-protocol", "SSL"), extra), false);
        produce(List.of(element(9, "Never-9")));

        assertThat(awaitRefusal(port)).contains("TLS handshake failed").contains("ssl-truststore-location");
        assertOneRefusalLineAndNoFlood();
        assertThat(harness.city("22", 9)).isNotEqualTo("Never-9");
    }

    /**
     * Amazon MSK's IAM mechanism, configured as docs/KAFKA.md shows: AWS's library (a runtime dependency)
     * loads from the settings alone; this broker does not offer AWS_MSK_IAM, so the refusal names it.
     */
    @Test
    void msk_iam_settings_load_aws_s_login_module_and_a_broker_without_it_is_named_in_the_refusal() throws Exception {
        int port = freePort();
        harness.startBridge(overrides(Map.of(
                "camel.component.kafka.security-protocol", "SASL_PLAINTEXT",
                "camel.component.kafka.sasl-mechanism", "AWS_MSK_IAM",
                "camel.component.kafka.sasl-jaas-config", "software.amazon.msk.auth.iam.IAMLoginModule required;",
                "camel.component.kafka.additional-properties[sasl.client.callback.handler.class]",
                "software.amazon.msk.auth.iam.IAMClientCallbackHandler"), management(port)), false);

        assertThat(awaitRefusal(port)).contains("AWS_MSK_IAM").contains("sasl-mechanism");
        assertOneRefusalLineAndNoFlood();
    }

    /** A plaintext Kafka client reading a TLS listener's answer can run out of memory (KAFKA-4090): not started. */
    @Test
    void a_bridge_without_tls_against_a_tls_listener_refuses_to_start_naming_security_protocol() {
        assertThatThrownBy(() -> harness.startBridge(overrides(Map.of(),
                Map.of("kafka.bootstrap-servers", kafka.tlsBootstrapServers())), false))
                .hasStackTraceContaining("most likely it wants TLS")
                .hasStackTraceContaining("camel.component.kafka.security-protocol is PLAINTEXT");
        assertThat(log.all()).noneMatch(line -> line.text().contains("OutOfMemoryError"));
    }

    @Test
    void a_mutual_tls_listener_refuses_a_bridge_without_a_key_store_and_admits_it_with_one() throws Exception {
        int port = freePort();
        Map<String, String> extra = new HashMap<>(management(port));
        extra.put("kafka.bootstrap-servers", kafka.mutualTlsBootstrapServers());
        Bridge refused = harness.startBridge(overrides(tls(false), extra), false);
        produce(List.of(element(10, "Mtls-10")));

        assertThat(awaitRefusal(port)).contains("TLS handshake failed").contains("ssl-keystore-location");
        assertOneRefusalLineAndNoFlood();
        assertThat(log.all()).noneMatch(line -> line.text().contains(TestCertificates.PASSWORD));
        refused.close();

        harness.startBridge(overrides(tls(true), Map.of("kafka.bootstrap-servers", kafka.mutualTlsBootstrapServers())), false);
        awaitCommittedAtEnd();
        assertThat(harness.city("22", 10)).isEqualTo("Mtls-10");
    }

    // ---- helpers ----

    private static Map<String, String> tls(boolean withKeyStore) {
        Map<String, String> tls = new HashMap<>(Map.of("camel.component.kafka.security-protocol", "SSL",
                "camel.component.kafka.ssl-truststore-type", "PKCS12",
                "camel.component.kafka.ssl-truststore-location", certificates.trustStore().toString(),
                "camel.component.kafka.ssl-truststore-password", TestCertificates.PASSWORD));
        if (withKeyStore) {
            tls.putAll(Map.of("camel.component.kafka.ssl-keystore-type", "PKCS12",
                    "camel.component.kafka.ssl-keystore-location", certificates.clientKeyStore().toString(),
                    "camel.component.kafka.ssl-keystore-password", TestCertificates.PASSWORD,
                    "camel.component.kafka.ssl-key-password", TestCertificates.PASSWORD));
        }
        return tls;
    }

    private static Map<String, String> management(int port) {
        return Map.of("management.enabled", "true", "management.port", String.valueOf(port));
    }

    /** Waits until readiness is DOWN for kafka-access, and returns the health body (which names the refusal). */
    private static String awaitRefusal(int port) {
        await("kafka-access DOWN").atMost(Duration.ofSeconds(40))
                .until(() -> health(port).body().contains("{\"name\":\"kafka-access\",\"status\":\"DOWN\""));
        try {
            return health(port).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The refusal is one log line, and the bridge does not flood the log while it keeps retrying: over
     * several retry periods (kafka.refused-pause is 500 ms here) the bridge's side writes no other warning.
     */
    private void assertOneRefusalLineAndNoFlood() {
        await("no flood of warnings while refused").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(log.bridgeWarnings()).hasSize(1));
        assertThat(log.bridgeWarnings().get(0).text()).startsWith("Kafka refuses the bridge's");
    }

    private static Map<String, String> plain(String password) {
        return Map.of("camel.component.kafka.security-protocol", "SASL_PLAINTEXT",
                "camel.component.kafka.sasl-mechanism", "PLAIN",
                "camel.component.kafka.sasl-jaas-config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"bridge\" password=\"" + password + "\";");
    }

    /** The bridge's settings for this test's topics on the SASL listener; {@code extra} may point it elsewhere. */
    private Map<String, String> overrides(Map<String, String> security, Map<String, String> extra) {
        Map<String, String> all = new HashMap<>(security);
        all.put("kafka.bootstrap-servers", kafka.saslBootstrapServers());
        all.put("kafka.group-id", group);
        all.put("kafka.topics.modify-records", topic);
        all.put("dead-letter.target", "kafka");
        all.put("dead-letter.topic", deadLetterTopic);
        all.put("batch.max-wait", "200");
        all.put("kafka.failure-pause", "300");
        all.put("kafka.refused-pause", "500");
        all.putAll(extra);
        return all;
    }

    private ProducerRecord<String, String> element(int numberid, String city) {
        return new ProducerRecord<>(topic, "22:" + numberid,
                "{\"projectid\":22,\"numberid\":\"" + numberid + "\",\"form\":{\"city\":\"" + city + "\"}}");
    }

    private static void produce(List<ProducerRecord<String, String>> records) throws Exception {
        kafka.produce(records);
    }

    /** Waits until the group has committed, on every partition of the topic, the offset after its last record. */
    private void awaitCommittedAtEnd() {
        await("committed offsets at the end of " + topic).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    try (Admin admin = kafka.admin()) {
                        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                        for (int p = 0; p < 2; p++) {
                            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                        }
                        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                                .allMatch(end -> end.getValue().offset() == 0 || (committed.get(end.getKey()) != null
                                        && committed.get(end.getKey()).offset() == end.getValue().offset()));
                    }
                });
    }

    private static List<ConsumerRecord<String, String>> readAll(String name) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            TopicPartition partition = new TopicPartition(name, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            await("the records of " + name).atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return consumer.position(partition) >= end;
            });
        }
        return records;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static HttpResponse<String> health(int port) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready?exposureLevel=full")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
