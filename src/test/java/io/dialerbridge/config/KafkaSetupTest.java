package io.dialerbridge.config;

import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The producer of dead letters and published files is configured like the consumer: from the kafka component. */
class KafkaSetupTest {

    @Test
    void tls_host_name_verification_is_on_by_default_and_the_probe_takes_the_additional_properties() {
        CamelContext context = new DefaultCamelContext();
        KafkaComponent kafka = new KafkaComponent();
        kafka.getConfiguration().setSecurityProtocol("SASL_SSL");
        kafka.getConfiguration().setAdditionalProperties(new java.util.HashMap<>(java.util.Map.of(
                "sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler")));
        context.addComponent("kafka", kafka);
        KafkaSetup setup = new KafkaSetup(context, "broker.invalid:9098", "bridge");

        for (Properties properties : java.util.List.of(setup.producerProperties(), setup.adminProperties())) {
            assertThat(properties)
                    .containsEntry("ssl.endpoint.identification.algorithm", "https")
                    .containsEntry("sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
        }
    }

    @Test
    void the_producer_takes_the_kafka_components_security_settings() {
        CamelContext context = new DefaultCamelContext();
        KafkaComponent kafka = new KafkaComponent();
        kafka.getConfiguration().setSecurityProtocol("SASL_SSL");
        kafka.getConfiguration().setSaslMechanism("SCRAM-SHA-512");
        kafka.getConfiguration().setSaslJaasConfig("org.apache.kafka.common.security.scram.ScramLoginModule required;");
        context.addComponent("kafka", kafka);

        Properties properties = new KafkaSetup(context, "broker.invalid:9093", "bridge").producerProperties();

        assertThat(properties)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker.invalid:9093")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "bridge-producer")
                .containsEntry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    }

    @Test
    void a_default_project_that_is_not_a_positive_whole_number_is_refused_at_start() {
        Settings wrong = Settings.load(java.nio.file.Path.of("config/application.properties"),
                java.util.Map.of("kafka.default-project", "22?x=1"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KafkaSetup.format(wrong))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("kafka.default-project").hasMessageContaining("\"22?x=1\"");
        Settings right = Settings.load(java.nio.file.Path.of("config/application.properties"),
                java.util.Map.of("kafka.default-project", " 022 "));
        assertThat(KafkaSetup.format(right).defaultProject()).isEqualTo("22");
    }
}
