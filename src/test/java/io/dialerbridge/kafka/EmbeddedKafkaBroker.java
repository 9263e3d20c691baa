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

    /** The listener that takes only TLS clients, and the one that also wants their certificate (mutual TLS). */
    private static final String TLS_LISTENER = "TLS";
    private static final String MTLS_LISTENER = "MTLS";

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    /** host:port of each secured listener (SASL, TLS, MTLS) this broker was started with. */
    private final Map<String, String> securedBootstrapServers;
    private final long startupMillis;

    private EmbeddedKafkaBroker(KafkaClusterTestKit cluster, String bootstrapServers,
                                Map<String, String> securedBootstrapServers, long startupMillis) {
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
        this.securedBootstrapServers = securedBootstrapServers;
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
        return start(partitionsDefault, Map.of(), Map.of());
    }

    /**
     * As {@link #start(int)}, on a fixed plaintext port: so a test can stop the broker and start a fresh
     * one where its clients look for it (the new one has a new cluster and none of the old one's data).
     */
    public static EmbeddedKafkaBroker startOnPort(int partitionsDefault, int port) {
        return start(partitionsDefault, Map.of(), Map.of(), port);
    }

    /**
     * As {@link #start(int)}, with a second listener ({@link #saslBootstrapServers()}) that admits only
     * SASL clients: SASL/PLAIN with these users and passwords, SASL/SCRAM-SHA-512 for the users that
     * {@link #addScramUser} creates, and SASL/OAUTHBEARER with Kafka's unsecured JWS validator (any
     * unsigned token with a subject; a test set-up, never a production one). The plaintext listener stays
     * for the test's own clients.
     */
    public static EmbeddedKafkaBroker startWithSasl(int partitionsDefault, Map<String, String> plainUsers) {
        return start(partitionsDefault, Map.of(SASL_LISTENER, "SASL_PLAINTEXT"), saslProps(plainUsers));
    }

    /** The listeners of {@link #startWithSasl} and of {@link #startWithTls} on one broker. */
    public static EmbeddedKafkaBroker startWithSaslAndTls(int partitionsDefault, Map<String, String> plainUsers,
                                                          TestCertificates certificates) {
        Map<String, String> props = new java.util.HashMap<>(saslProps(plainUsers));
        props.putAll(tlsProps(certificates));
        return start(partitionsDefault,
                Map.of(SASL_LISTENER, "SASL_PLAINTEXT", TLS_LISTENER, "SSL", MTLS_LISTENER, "SSL"), props);
    }

    private static Map<String, String> saslProps(Map<String, String> plainUsers) {
        if (plainUsers.isEmpty()) {
            throw new IllegalArgumentException("a SASL listener needs at least one user");
        }
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
        plainUsers.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
        return Map.of(
                "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512,OAUTHBEARER",
                "listener.name.sasl.plain.sasl.jaas.config", jaas.append(';').toString(),
                "listener.name.sasl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "listener.name.sasl.oauthbearer.sasl.jaas.config",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
    }

    /**
     * As {@link #start(int)}, with two TLS listeners whose certificate {@code certificates} signs (names
     * 127.0.0.1, so clients verify the host name): {@link #tlsBootstrapServers()} takes any TLS client
     * that trusts the test CA; {@link #mutualTlsBootstrapServers()} also wants a client certificate the
     * test CA signed. The plaintext listener stays for the test's own clients.
     */
    public static EmbeddedKafkaBroker startWithTls(int partitionsDefault, TestCertificates certificates) {
        return start(partitionsDefault, Map.of(TLS_LISTENER, "SSL", MTLS_LISTENER, "SSL"), tlsProps(certificates));
    }

    private static Map<String, String> tlsProps(TestCertificates certificates) {
        Map<String, String> props = new java.util.HashMap<>();
        for (String listener : List.of("tls", "mtls")) {
            String prefix = "listener.name." + listener + ".";
            props.put(prefix + "ssl.keystore.type", "PKCS12");
            props.put(prefix + "ssl.keystore.location", certificates.brokerKeyStore().toString());
            props.put(prefix + "ssl.keystore.password", TestCertificates.PASSWORD);
            props.put(prefix + "ssl.key.password", TestCertificates.PASSWORD);
            props.put(prefix + "ssl.truststore.type", "PKCS12");
            props.put(prefix + "ssl.truststore.location", certificates.trustStore().toString());
            props.put(prefix + "ssl.truststore.password", TestCertificates.PASSWORD);
        }
        props.put("listener.name.tls.ssl.client.auth", "none");
        props.put("listener.name.mtls.ssl.client.auth", "required");
        return props;
    }

    /**
     * @param secured listener name -> security protocol, besides the plaintext EXTERNAL and CONTROLLER
     * @param securityProps the broker settings those listeners need
     */
    private static EmbeddedKafkaBroker start(int partitionsDefault, Map<String, String> secured,
                                             Map<String, String> securityProps) {
        return start(partitionsDefault, secured, securityProps, 0);
    }

    private static EmbeddedKafkaBroker start(int partitionsDefault, Map<String, String> secured,
                                             Map<String, String> securityProps, int plaintextPort) {
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
            // loopback only (the testkit default is "localhost", which may also mean ::1)
            StringBuilder listeners = new StringBuilder("EXTERNAL://127.0.0.1:" + plaintextPort + ",CONTROLLER://127.0.0.1:0");
            StringBuilder protocols = new StringBuilder("EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
            secured.forEach((name, protocol) -> {
                listeners.append(',').append(name).append("://127.0.0.1:0");
                protocols.append(',').append(name).append(':').append(protocol);
            });
            builder.setConfigProp("listeners", listeners.toString());
            if (!secured.isEmpty()) {
                builder.setConfigProp("listener.security.protocol.map", protocols.toString());
            }
            securityProps.forEach(builder::setConfigProp);
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
            Map<String, String> securedBootstrap = new java.util.HashMap<>();
            for (String name : secured.keySet()) {
                securedBootstrap.put(name, "127.0.0.1:" + broker.boundPort(new ListenerName(name)));
            }
            return new EmbeddedKafkaBroker(cluster, "127.0.0.1:" + port, securedBootstrap, ms);
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
        return secured(SASL_LISTENER, "startWithSasl");
    }

    /** {@code host:port} of the listener that takes only TLS clients (see {@link #startWithTls}). */
    public String tlsBootstrapServers() {
        return secured(TLS_LISTENER, "startWithTls");
    }

    /** {@code host:port} of the listener that takes only TLS clients with a certificate (see {@link #startWithTls}). */
    public String mutualTlsBootstrapServers() {
        return secured(MTLS_LISTENER, "startWithTls");
    }

    private String secured(String listener, String starter) {
        String servers = securedBootstrapServers.get(listener);
        if (servers == null) {
            throw new IllegalStateException("this broker has no " + listener + " listener: start it with " + starter);
        }
        return servers;
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

    /** Sends string records in order on the plaintext listener, each acknowledged by the broker (acks=all) before the next. */
    public void produce(List<org.apache.kafka.clients.producer.ProducerRecord<String, String>> records) throws Exception {
        Map<String, Object> config = Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all",
                org.apache.kafka.clients.producer.ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringSerializer.class.getName(),
                org.apache.kafka.clients.producer.ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringSerializer.class.getName());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(config)) {
            for (var record : records) {
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
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
