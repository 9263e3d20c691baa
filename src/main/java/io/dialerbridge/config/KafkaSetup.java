package io.dialerbridge.config;

import io.dialerbridge.batch.PollBatcher;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.source.kafka.ListenerCheck;
import io.dialerbridge.source.kafka.ListenerMismatchException;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Kafka as a source and an output, from the {@code kafka.*}, {@code dead-letter.*} and
 * {@code ingest.file.mode} settings: Kafka is on when {@code kafka.bootstrap-servers} is set. Checks
 * them and derives the keys the routes read ({@code kafka.enabled}, {@code kafka.topic-list}), and
 * owns the one producer (acks=all, idempotent) that dead letters and published files share,
 * configured like the consumer: from the camel-kafka component's settings
 * ({@code camel.component.kafka.*}, security included), and the admin probe that tells whether Kafka
 * admits those settings.
 */
public final class KafkaSetup implements AutoCloseable {

    /** How long a send waits for Kafka's acknowledgement. */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LISTENER_CHECK_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration STARTUP_CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final CamelContext context;
    private final String bootstrapServers;
    private final String name;
    private Producer<String, String> producer;

    /** {@code name} is the bridge's (camel.main.name): the producer's client id is name-producer. */
    public KafkaSetup(CamelContext context, String bootstrapServers, String name) {
        this.context = context;
        this.bootstrapServers = bootstrapServers;
        this.name = name;
    }

    /** The topic of each operation: {@code kafka.topics.<operation>}, or {@code dialer.<operation>}. */
    public static Map<Operation, String> topics(Settings settings) {
        Map<Operation, String> topics = new LinkedHashMap<>();
        for (Operation operation : Operation.values()) {
            String key = "kafka.topics." + operation.id();
            topics.put(operation, settings.isBlank(key) ? "dialer." + operation.id() : settings.get(key));
        }
        return topics;
    }

    /** How a Kafka value becomes an element: kafka.format, kafka.debezium.deletes, kafka.default-project. */
    public static PollBatcher.KafkaFormat format(Settings settings) {
        String format = settings.isBlank("kafka.format") ? "element" : settings.get("kafka.format").trim();
        String deletes = settings.isBlank("kafka.debezium.deletes") ? "dead-letter" : settings.get("kafka.debezium.deletes").trim();
        if (!format.equals("element") && !format.equals("debezium")) {
            throw new ConfigurationException("kafka.format must be element or debezium, was '" + format + "'");
        }
        if (!deletes.equals("skip") && !deletes.equals("dead-letter")) {
            throw new ConfigurationException("kafka.debezium.deletes must be skip or dead-letter, was '" + deletes + "'");
        }
        String defaultProject = null;
        if (!settings.isBlank("kafka.default-project")) {
            try {
                defaultProject = io.dialerbridge.element.ProjectId.parse(settings.get("kafka.default-project"));
            } catch (io.dialerbridge.element.ProjectId.Invalid e) {
                throw new ConfigurationException("kafka.default-project: " + e.getMessage());
            }
        }
        return new PollBatcher.KafkaFormat(format.equals("debezium"), deletes.equals("dead-letter"), defaultProject);
    }

    /**
     * Checks the Kafka settings and returns the keys the routes read: kafka.enabled, kafka.topic-list,
     * and dead-letter.target and ingest.file.mode with their defaults.
     */
    public static Map<String, String> derivedSettings(Settings settings) {
        boolean enabled = !settings.isBlank("kafka.bootstrap-servers");
        String target = settings.isBlank("dead-letter.target") ? "file" : settings.get("dead-letter.target");
        String fileMode = settings.isBlank("ingest.file.mode") ? "send" : settings.get("ingest.file.mode");
        if (!target.equals("file") && !target.equals("kafka")) {
            throw new ConfigurationException("dead-letter.target must be file or kafka, was '" + target + "'");
        }
        if (!fileMode.equals("send") && !fileMode.equals("kafka")) {
            throw new ConfigurationException("ingest.file.mode must be send or kafka, was '" + fileMode + "'");
        }
        if (!enabled && (target.equals("kafka") || fileMode.equals("kafka"))) {
            throw new ConfigurationException("dead-letter.target=" + target + " and ingest.file.mode=" + fileMode
                    + " need Kafka: set KAFKA_BOOTSTRAP_SERVERS (kafka.bootstrap-servers)");
        }
        return Map.of("kafka.enabled", String.valueOf(enabled),
                "kafka.topic-list", String.join(",", topics(settings).values()),
                "dead-letter.target", target,
                "ingest.file.mode", fileMode);
    }

    /** The producer, created on first use from the kafka component's configuration. */
    public synchronized Producer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerProperties());
        }
        return producer;
    }

    /** The kafka component's producer settings (security included), with what dead letters need: acks=all, idempotence. */
    Properties producerProperties() {
        KafkaConfiguration configuration = context.getComponent("kafka", KafkaComponent.class).getConfiguration().copy();
        configuration.setRequestRequiredAcks("all");
        configuration.setEnableIdempotence(true);
        configuration.setLingerMs(5);
        if (configuration.getClientId() == null) {
            configuration.setClientId(name + "-producer");
        }
        Properties properties = configuration.createProducerProperties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return properties;
    }

    /**
     * One admin call with the kafka component's settings; throws when Kafka refuses them or does not
     * answer, a {@link ListenerMismatchException} when it does not answer because the settings' security
     * protocol is not the one the broker's listener expects.
     */
    public void probe() {
        Admin admin = probeClient();
        boolean answered = false;
        try {
            admin.describeCluster().clusterId().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            answered = true;
        } catch (ExecutionException e) {
            throw new KafkaException(e.getCause());
        } catch (TimeoutException e) {
            // a client whose security protocol the listener does not expect gets no error, only dropped
            // connections: ask the listeners what they expect
            Optional<String> mismatch = listenerMismatch();
            if (mismatch.isPresent()) {
                throw new ListenerMismatchException(mismatch.get());
            }
            throw new KafkaException("Kafka did not answer within " + PROBE_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while probing Kafka", e);
        } finally {
            if (!answered) {
                dropProbeClient(admin);
            }
        }
    }

    /**
     * The admin client of the probes, kept while Kafka answers: the access check probes for the life of the
     * process (every {@code kafka.refused-pause}), and a client a probe would open a connection (and, on a managed
     * cluster, an authentication) each time. After a probe without an answer it is closed and the next probe starts
     * afresh.
     */
    private Admin probeAdmin;

    private boolean closed;

    private synchronized Admin probeClient() {
        if (closed) {
            throw new KafkaException("the bridge is stopping: Kafka is not probed");
        }
        if (probeAdmin == null) {
            probeAdmin = Admin.create(adminProperties());
        }
        return probeAdmin;
    }

    private synchronized void dropProbeClient(Admin admin) {
        if (probeAdmin == admin) {
            probeAdmin = null;
        }
        // without a bound, close waits for the unanswered call's own timeout (a minute)
        admin.close(Duration.ZERO);
    }

    /**
     * Refuses to start when a bootstrap server's listener does not speak plaintext Kafka (so most
     * likely TLS) while the security protocol is a plaintext one: a Kafka client reads the TLS alert such
     * a listener answers with as the size of a response and allocates hundreds of megabytes for it, again
     * at every reconnect, until the heap is gone (KAFKA-4090). A listener that does not answer at once
     * is left to the clients and the access check.
     */
    public void refusePlaintextToTls() {
        Properties settings = adminProperties();
        String protocol = settings.getProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
        if (!protocol.trim().equalsIgnoreCase("PLAINTEXT") && !protocol.trim().equalsIgnoreCase("SASL_PLAINTEXT")) {
            return;
        }
        for (String server : bootstrapServers.split(",")) {
            ListenerCheck.Spoken spoken = ListenerCheck.ask(server.trim(), STARTUP_CHECK_TIMEOUT);
            if (spoken instanceof ListenerCheck.NotPlaintext) {
                throw new ConfigurationException(ListenerCheck.mismatch(spoken, protocol, null).orElseThrow()
                        + " (broker " + server.trim() + "; CAMEL_COMPONENT_KAFKA_SECURITY_PROTOCOL in the environment)");
            }
        }
    }

    /** Why the broker's listeners drop the bridge's connections, if their security protocol is not the bridge's. */
    private Optional<String> listenerMismatch() {
        Properties settings = adminProperties();
        for (String server : bootstrapServers.split(",")) {
            ListenerCheck.Spoken spoken = ListenerCheck.ask(server.trim(), LISTENER_CHECK_TIMEOUT);
            Optional<String> mismatch = ListenerCheck.mismatch(spoken,
                    settings.getProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG),
                    settings.getProperty(SaslConfigs.SASL_MECHANISM));
            if (mismatch.isPresent()) {
                return Optional.of(mismatch.get() + " (broker " + server.trim() + ")");
            }
        }
        return Optional.empty();
    }

    /** The producer's settings that an admin client takes (the connection and its security). */
    Properties adminProperties() {
        Properties admin = new Properties();
        producerProperties().forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                admin.put(key, value);
            }
        });
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, name + "-admin");
        return admin;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (probeAdmin != null) {
            probeAdmin.close(Duration.ZERO);
            probeAdmin = null;
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
    }
}
