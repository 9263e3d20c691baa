package io.dialerbridge.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import kafka.server.BrokerServer;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real, single-node Apache Kafka 3.9.1 broker running inside the test JVM in KRaft mode
 * (one combined broker+controller process, no ZooKeeper), built on Kafka's own
 * {@code kafka.testkit.KafkaClusterTestKit} (from {@code org.apache.kafka:kafka_2.13:3.9.1:test}).
 *
 * <ul>
 *   <li>listens on 127.0.0.1 only, on an ephemeral port: see {@link #bootstrapServers()};</li>
 *   <li>log and metadata dirs live in a fresh temp folder (under {@code java.io.tmpdir}) that {@link #close()} deletes;</li>
 *   <li>internal topics (consumer offsets, transactions) have replication factor 1 and no initial rebalance
 *       delay, so consumer groups join at once;</li>
 *   <li>topics are auto-created on first use with {@code partitionsDefault} partitions, or explicitly via
 *       {@link #createTopic(String, int)}.</li>
 * </ul>
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(3)) {
 *     kafka.createTopic("dialer.modify-records", 3);
 *     String bootstrap = kafka.bootstrapServers();   // "127.0.0.1:NNNNN"
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    /** The listener that admits only SASL clients (PLAIN and SCRAM-SHA-512), when started with users. */
    private static final String SASL_LISTENER = "SASL";

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    private final String saslBootstrapServers;
    private final long startupMillis;

    private EmbeddedKafkaBroker(KafkaClusterTestKit cluster, String bootstrapServers, String saslBootstrapServers,
                                long startupMillis) {
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
        this.saslBootstrapServers = saslBootstrapServers;
        this.startupMillis = startupMillis;
    }

    /** Starts a broker whose auto-created topics get 1 partition. */
    public static EmbeddedKafkaBroker start() {
        return start(1);
    }

    /**
     * Formats a fresh temp data dir, starts a single-node KRaft cluster and waits until the broker is
     * ready (registered with the controller and unfenced).
     *
     * @param partitionsDefault {@code num.partitions} for auto-created topics
     */
    public static EmbeddedKafkaBroker start(int partitionsDefault) {
        return start(partitionsDefault, Map.of());
    }

    /**
     * As {@link #start(int)}, with a second listener ({@link #saslBootstrapServers()}) that admits only
     * SASL clients: SASL/PLAIN with these users and passwords, and SASL/SCRAM-SHA-512 for the users that
     * {@link #addScramUser} creates. The plaintext listener stays for the test's own clients.
     */
    public static EmbeddedKafkaBroker startWithSasl(int partitionsDefault, Map<String, String> plainUsers) {
        if (plainUsers.isEmpty()) {
            throw new IllegalArgumentException("a SASL listener needs at least one user");
        }
        return start(partitionsDefault, plainUsers);
    }

    private static EmbeddedKafkaBroker start(int partitionsDefault, Map<String, String> plainUsers) {
        if (partitionsDefault < 1) {
            throw new IllegalArgumentException("partitionsDefault must be >= 1");
        }
        long t0 = System.nanoTime();
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            if (plainUsers.isEmpty()) {
                // loopback only (the testkit default is "localhost", which may also mean ::1)
                builder.setConfigProp("listeners", "EXTERNAL://127.0.0.1:0,CONTROLLER://127.0.0.1:0");
            } else {
                StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
                plainUsers.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
                builder.setConfigProp("listeners", "EXTERNAL://127.0.0.1:0," + SASL_LISTENER + "://127.0.0.1:0,CONTROLLER://127.0.0.1:0")
                        .setConfigProp("listener.security.protocol.map",
                                "EXTERNAL:PLAINTEXT," + SASL_LISTENER + ":SASL_PLAINTEXT,CONTROLLER:PLAINTEXT")
                        .setConfigProp("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512")
                        .setConfigProp("listener.name.sasl.plain.sasl.jaas.config", jaas.append(';').toString())
                        .setConfigProp("listener.name.sasl.scram-sha-512.sasl.jaas.config",
                                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            }
            cluster = builder
                    .setConfigProp("num.partitions", Integer.toString(partitionsDefault))
                    .setConfigProp("auto.create.topics.enable", "true")
                    .setConfigProp("default.replication.factor", "1")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "1")
                    .setConfigProp("min.insync.replicas", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("log.flush.interval.messages", Long.toString(Long.MAX_VALUE))
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            BrokerServer broker = cluster.brokers().values().iterator().next();
            int port = broker.boundPort(cluster.nodes().externalListenerName());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            String sasl = plainUsers.isEmpty() ? null
                    : "127.0.0.1:" + broker.boundPort(new ListenerName(SASL_LISTENER));
            return new EmbeddedKafkaBroker(cluster, "127.0.0.1:" + port, sasl, ms);
        } catch (Exception e) {
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not start the embedded Kafka broker", e);
        }
    }

    /** {@code host:port} for {@code bootstrap.servers} / camel-kafka's {@code brokers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** {@code host:port} of the listener that admits only SASL clients (see {@link #startWithSasl}). */
    public String saslBootstrapServers() {
        if (saslBootstrapServers == null) {
            throw new IllegalStateException("this broker has no SASL listener: start it with startWithSasl");
        }
        return saslBootstrapServers;
    }

    /** Creates (or replaces) a SASL/SCRAM-SHA-512 user on the SASL listener. */
    public void addScramUser(String user, String password) {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
                    .all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the SCRAM user " + user, e);
        }
    }

    /** How long {@link #start(int)} took, format + startup + broker ready, in milliseconds. */
    public long startupMillis() {
        return startupMillis;
    }

    /** Creates a topic (replication factor 1) and waits until the controller has accepted it; idempotent. */
    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty())))
                    .all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topic " + name, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic " + name, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out creating topic " + name, e);
        }
    }

    /** Names of the non-internal topics. */
    public Set<String> topics() {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not list topics", e);
        }
    }

    /** A new Admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis()));
    }

    /** Stops the broker and controller and deletes the temp data dir. */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the embedded Kafka broker", e);
        }
    }
}
