package io.dialerbridge.config;

import io.dialerbridge.output.KafkaDeadLetters;
import io.dialerbridge.source.kafka.FilePublisher;
import io.dialerbridge.source.kafka.KafkaPolls;
import io.dialerbridge.output.DeadLetters;
import io.dialerbridge.output.FileDeadLetters;
import io.dialerbridge.batch.Deliveries;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.batch.PollBatcher;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;

/**
 * Kafka as a source and an output, from the {@code kafka.*}, {@code dead-letter.*} and
 * {@code ingest.file.mode} settings: Kafka is on when {@code kafka.bootstrap-servers} is set. Derives the
 * settings the routes read ({@code kafka.enabled}, {@code kafka.topic-list}), chooses the dead-letter
 * output, and owns the one producer (acks=all, idempotent) that dead letters and published files share.
 */
public final class KafkaSetup implements AutoCloseable {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

    private final Settings settings;
    private final Map<Operation, String> topics;
    private Producer<String, String> producer;

    private KafkaSetup(Settings settings, Map<Operation, String> topics) {
        this.settings = settings;
        this.topics = topics;
    }

    /** Checks the Kafka settings and adds the ones the routes read: kafka.enabled and kafka.topic-list. */
    public static KafkaSetup configure(Settings configured) {
        boolean enabled = !configured.isBlank("kafka.bootstrap-servers");
        Map<Operation, String> topics = new LinkedHashMap<>();
        for (Operation operation : Operation.values()) {
            String key = "kafka.topics." + operation.id();
            topics.put(operation, configured.isBlank(key) ? "dialer." + operation.id() : configured.get(key).trim());
        }
        String target = configured.isBlank("dead-letter.target") ? "file" : configured.get("dead-letter.target").trim();
        String fileMode = configured.isBlank("ingest.file.mode") ? "send" : configured.get("ingest.file.mode").trim();
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
        Settings settings = configured.with("kafka.enabled", String.valueOf(enabled))
                .with("kafka.topic-list", String.join(",", topics.values()))
                .with("dead-letter.target", target)
                .with("ingest.file.mode", fileMode);
        return new KafkaSetup(settings, topics);
    }

    /** The settings with what the routes need from Kafka added. */
    public Settings settings() {
        return settings;
    }

    /** The dead-letter output chosen by dead-letter.target: files under {@code directory}, or the topic. */
    public DeadLetters deadLetters(Path directory, Clock clock) {
        if (settings.get("dead-letter.target").equals("kafka")) {
            return new KafkaDeadLetters(producer(), settings.get("dead-letter.topic"), clock, ACK_TIMEOUT);
        }
        return new FileDeadLetters(directory, clock);
    }

    /** Binds the beans the Kafka routes name: kafkaPolls, pollBatcher and filePublisher. */
    public void bind(BiConsumer<String, Object> registry, Deliveries deliveries) {
        Map<String, Operation> byTopic = new LinkedHashMap<>();
        topics.forEach((operation, topic) -> byTopic.put(topic, operation));
        registry.accept("kafkaPolls", new KafkaPolls());
        registry.accept("pollBatcher", new PollBatcher(byTopic, settings.getInt("batch.max-elements")));
        registry.accept("filePublisher", new FilePublisher(this::producer, topics, deliveries, ACK_TIMEOUT));
    }

    private synchronized Producer<String, String> producer() {
        if (producer == null) {
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get("kafka.bootstrap-servers"));
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            config.put(ProducerConfig.CLIENT_ID_CONFIG, settings.get("camel.main.name") + "-producer");
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producer = new KafkaProducer<>(config);
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
    }
}
