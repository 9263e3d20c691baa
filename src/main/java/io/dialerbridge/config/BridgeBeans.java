package io.dialerbridge.config;

import io.dialerbridge.batch.BatchSteps;
import io.dialerbridge.batch.BlockingHandOff;
import io.dialerbridge.batch.Deliveries;
import io.dialerbridge.sync.RecordFingerprint;
import io.dialerbridge.sync.SyncState;
import io.dialerbridge.batch.ElementOutcomes;
import io.dialerbridge.batch.PollBatcher;
import io.dialerbridge.dialer.DialerCredentialsHealthCheck;
import io.dialerbridge.dialer.DialerHttp;
import io.dialerbridge.dialer.DialerReachability;
import io.dialerbridge.dialer.DialerReachabilityHealthCheck;
import io.dialerbridge.dialer.RequestSlots;
import io.dialerbridge.dialer.genesys.GenesysAcknowledgements;
import io.dialerbridge.dialer.genesys.GenesysCalls;
import io.dialerbridge.dialer.genesys.GenesysSession;
import io.dialerbridge.dialer.vcc.AddRecordsJournal;
import io.dialerbridge.dialer.vcc.BatchRequests;
import io.dialerbridge.dialer.vcc.CredentialsProbe;
import io.dialerbridge.dialer.vcc.DialerProbe;
import io.dialerbridge.dialer.vcc.PartialResults;
import io.dialerbridge.dialer.vcc.SingleCalls;
import io.dialerbridge.dialer.vcc.VccCredentials;
import io.dialerbridge.mapping.FieldMapping;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.ops.BridgeMetrics;
import io.dialerbridge.ops.DaemonStatus;
import io.dialerbridge.ops.ManagementPortEngine;
import io.dialerbridge.ops.Progress;
import io.dialerbridge.ops.RetryNotice;
import io.dialerbridge.operation.ProjectDefaults;
import io.dialerbridge.output.CsvErrorFiles;
import io.dialerbridge.output.DeadLetters;
import io.dialerbridge.output.FileDeadLetters;
import io.dialerbridge.output.KafkaDeadLetters;
import io.dialerbridge.output.Results;
import io.dialerbridge.policy.DialerGate;
import io.dialerbridge.policy.ElementErrorPolicy;
import io.dialerbridge.policy.Exhaustion;
import io.dialerbridge.policy.RetryBudget;
import io.dialerbridge.policy.TransientElementRetries;
import io.dialerbridge.source.Inbox;
import io.dialerbridge.source.InboxLease;
import io.dialerbridge.source.InboxLeaseHealthCheck;
import io.dialerbridge.source.kafka.FilePublisher;
import io.dialerbridge.source.kafka.KafkaAccess;
import io.dialerbridge.source.kafka.KafkaAccessHealthCheck;
import io.dialerbridge.source.kafka.KafkaPolls;
import io.dialerbridge.source.kafka.KafkaConsumerThread;
import io.dialerbridge.source.kafka.StopPollingOnShutdown;
import io.dialerbridge.source.kafka.KafkaLag;
import io.dialerbridge.batch.InFlightRecords;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.platform.http.PlatformHttpComponent;

import io.dialerbridge.fields.PreflightFieldCheck;
import io.dialerbridge.fields.ProjectFieldsReader;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The beans the routes name, declared from the settings (config/application.properties; the
 * sandbox's addresses and the derived keys come from {@link BridgeSettings}). The batch senders' pool is
 * sized here from {@code batch.max-in-flight}; the element senders' pool is a Camel thread pool profile
 * ({@code camel.threadpool.config[elementSenders]} in the settings file).
 */
public class BridgeBeans implements CamelConfiguration {

    private final Clock clock = Clock.systemUTC();
    private KafkaAccess kafkaAccess;
    private KafkaConsumerThread kafkaConsumerThread;
    private PollBatcher pollBatcher;
    /** The consumer lag per partition: noted by the consumer threads, read by the metrics. */
    private final KafkaLag kafkaLag = new KafkaLag();
    private FieldMapping fieldMapping;
    private PreflightFieldCheck fieldCheck;

    @PropertyInject("bridge.home")
    String home;
    @PropertyInject("vcc.base-url")
    String vccBaseUrl;
    @PropertyInject("vcc.customer")
    String vccCustomer;
    @PropertyInject("vcc.token")
    String vccToken;
    @PropertyInject("vcc.connect-timeout")
    int connectTimeout;
    @PropertyInject("vcc.response-timeout")
    int responseTimeout;
    @PropertyInject("journal.fsync")
    boolean journalFsync;
    @PropertyInject("batch.max-elements")
    int batchMaxElements;
    @PropertyInject("batch.max-wait")
    int batchMaxWait;
    @PropertyInject("batch.max-in-flight")
    int batchMaxInFlight;
    @PropertyInject("kafka.bootstrap-servers")
    String kafkaBootstrapServers;
    @PropertyInject("dead-letter.target")
    String deadLetterTarget;
    @PropertyInject("dead-letter.topic")
    String deadLetterTopic;
    @PropertyInject("mapping.file")
    String mappingFile;
    @PropertyInject("mapping.strict")
    boolean mappingStrict;
    @PropertyInject("kafka.refused-pause")
    int kafkaRefusedPause;
    @PropertyInject("kafka.unreachable-after")
    int kafkaUnreachableAfter;
    @PropertyInject("add-records.unique-field")
    String uniqueField;

    /**
     * The requests out at the dialer at once ({@code batch.max-in-flight}), over files and Kafka: route
     * call-dialer holds a slot only around its HTTP exchange.
     */
    @BindToRegistry("requestSlots")
    public RequestSlots requestSlots() {
        return new RequestSlots(batchMaxInFlight);
    }

    /**
     * The senders of batches, over files and Kafka: twice as many as request slots, so that while
     * {@code batch.max-in-flight} of them wait for the dialer the others build the next bodies and account
     * for the last answers, and no slot stands idle between two requests. Its queue holds
     * {@code batch.max-in-flight} more; when it is full, the hand-over waits for a place (BlockingHandOff),
     * so a file is read no further ahead and a Kafka consumer is free again as soon as one batch is done.
     */
    @BindToRegistry("batchSenders")
    public ExecutorService batchSenders(CamelContext context) {
        int senders = 2 * batchMaxInFlight;
        ThreadPoolProfile profile = new ThreadPoolProfileBuilder("batchSenders").poolSize(senders).maxPoolSize(senders)
                .maxQueueSize(batchMaxInFlight).rejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns).build();
        return BlockingHandOff.applyTo(context.getExecutorServiceManager().newThreadPool(this, "batchSenders", profile));
    }

    @BindToRegistry
    public PartialResults partialResults() {
        return new PartialResults();
    }

    @BindToRegistry
    public ElementOutcomes elementOutcomes() {
        return new ElementOutcomes();
    }

    @BindToRegistry
    public BatchRequests batchRequests(CamelContext context) {
        return new BatchRequests(ProjectDefaults.fromProperties(new Settings(context.getPropertiesComponent())
                .withPrefix("projects.")));
    }

    @BindToRegistry
    public Inbox inbox() {
        return new Inbox(Path.of(home), clock);
    }

    /**
     * The inbox lease among the daemons on one BRIDGE_HOME (docs/HIGH-AVAILABILITY.md): Camel's file lock
     * cluster service under state/cluster/, which camel-main starts with the context. Only a daemon that
     * watches the inbox with cluster.enabled takes part; a one-shot run writes alone.
     */
    @BindToRegistry
    public InboxLease inboxLease(CamelContext context,
                                 @PropertyInject(value = "ingest.file.enabled", defaultValue = "false") boolean watchInbox,
                                 @PropertyInject("cluster.enabled") boolean clusterEnabled,
                                 @PropertyInject("cluster.heartbeat-interval") long heartbeatInterval,
                                 @PropertyInject("cluster.missed-heartbeats") int missedHeartbeats) throws Exception {
        if (!watchInbox || !clusterEnabled) {
            return InboxLease.unshared();
        }
        FileLockClusterService cluster = new FileLockClusterService();
        cluster.setId(context.getName());
        cluster.setRoot(Path.of(home, "state", "cluster").toString());
        cluster.setAcquireLockInterval(heartbeatInterval, TimeUnit.MILLISECONDS);
        cluster.setAcquireLockDelay(heartbeatInterval, TimeUnit.MILLISECONDS);
        cluster.setHeartbeatTimeoutMultiplier(missedHeartbeats);
        context.addService(cluster);
        return InboxLease.on(cluster, clock);
    }

    @BindToRegistry
    public InboxLeaseHealthCheck inboxLeaseHealthCheck(@BeanInject("inboxLease") InboxLease lease) {
        return new InboxLeaseHealthCheck(lease);
    }

    @BindToRegistry
    public Results results() {
        return new Results(Path.of(home, "results"));
    }

    @BindToRegistry
    public VccCredentials vccCredentials() {
        return new VccCredentials(vccCustomer, vccToken);
    }

    @BindToRegistry
    public DialerGate dialerGate(@PropertyInject("retry.max-retry-after") int maxRetryAfter) {
        return new DialerGate(clock, Duration.ofSeconds(maxRetryAfter));
    }

    @BindToRegistry
    public RetryBudget retryBudget(@PropertyInject("retry.max-retries") int maxRetries,
                                   @PropertyInject("retry.max-total-time") int maxTotalTime) {
        return new RetryBudget(maxRetries, Duration.ofMillis(maxTotalTime), clock);
    }

    /** The one HTTP client of the dialer calls made from beans (Genesys login, the probes). */
    @BindToRegistry
    public DialerHttp dialerHttp() {
        return new DialerHttp(Duration.ofMillis(connectTimeout), Duration.ofMillis(responseTimeout));
    }

    @BindToRegistry
    public CredentialsProbe credentialsProbe(@BeanInject("dialerGate") DialerGate gate,
                                             @BeanInject("dialerHttp") DialerHttp http) {
        return new CredentialsProbe(gate, http, vccBaseUrl, new VccCredentials(vccCustomer, vccToken).authorization());
    }

    @BindToRegistry
    public DialerProbe dialerProbe(@BeanInject("dialerHttp") DialerHttp http) {
        return new DialerProbe(http, vccBaseUrl, new VccCredentials(vccCustomer, vccToken));
    }

    @BindToRegistry
    public DialerCredentialsHealthCheck dialerCredentialsHealthCheck(@BeanInject("dialerGate") DialerGate gate) {
        return new DialerCredentialsHealthCheck(gate);
    }

    /**
     * Whether the dialers answer (route probe-dialer): VCC Live, and Genesys when it has an address. The
     * Genesys probe carries no credentials: any answer but a 5xx says it is there.
     */
    @BindToRegistry
    public DialerReachability dialerReachability(@BeanInject("dialerHttp") DialerHttp http,
                                                 @PropertyInject("gws.base-url") String gwsBaseUrl) {
        List<DialerReachability.Target> targets = new ArrayList<>();
        if (vccBaseUrl != null && !vccBaseUrl.isBlank()) {
            targets.add(new DialerReachability.Target("vcc", URI.create(vccBaseUrl + "/projects"),
                    new VccCredentials(vccCustomer, vccToken).authorization()));
        }
        if (gwsBaseUrl != null && !gwsBaseUrl.isBlank()) {
            targets.add(new DialerReachability.Target("genesys", URI.create(gwsBaseUrl + "/api/v2/me"), null));
        }
        return new DialerReachability(http, clock, targets);
    }

    @BindToRegistry
    public DialerReachabilityHealthCheck dialerReachabilityHealthCheck(@BeanInject("dialerReachability") DialerReachability reachability) {
        return new DialerReachabilityHealthCheck(reachability);
    }

    @BindToRegistry
    public AddRecordsJournal addRecordsJournal() throws IOException {
        return new AddRecordsJournal(Path.of(home, "state", "add-records-journal.ndjson"), clock);
    }

    @BindToRegistry
    public SingleCalls singleCalls(@BeanInject("addRecordsJournal") AddRecordsJournal journal,
                                   @BeanInject("results") Results results) {
        return new SingleCalls(journal, results, uniqueField);
    }

    @BindToRegistry
    public Exhaustion exhaustion(@BeanInject("addRecordsJournal") AddRecordsJournal journal) {
        return new Exhaustion(journal, uniqueField);
    }

    @BindToRegistry
    public GenesysSession genesysSession(@BeanInject("dialerHttp") DialerHttp http,
                                         @PropertyInject("gws.base-url") String baseUrl,
                                         @PropertyInject("gws.user") String user,
                                         @PropertyInject("gws.password") String password,
                                         @PropertyInject("gws.session-max-age") int sessionMaxAge) {
        return new GenesysSession(baseUrl, user, password, http, Duration.ofMillis(sessionMaxAge), clock);
    }

    /** The CometD session for Genesys acknowledgements, closed with the context. */
    @BindToRegistry(destroyMethod = "close")
    public GenesysAcknowledgements genesysAcknowledgements(@BeanInject("genesysSession") GenesysSession session,
                                                           @PropertyInject("gws.base-url") String baseUrl,
                                                           @PropertyInject("gws.ack-timeout") int ackTimeout) {
        return new GenesysAcknowledgements(baseUrl, session, Duration.ofMillis(ackTimeout));
    }

    @BindToRegistry
    public GenesysCalls genesysCalls(@BeanInject("genesysSession") GenesysSession session,
                                     @BeanInject("genesysAcknowledgements") GenesysAcknowledgements acknowledgements,
                                     @PropertyInject("gws.confirm") String confirm,
                                     @BeanInject("results") Results results,
                                     @PropertyInject("gws.application-id") String applicationId,
                                     @PropertyInject("gws.campaign-name") String campaignName,
                                     @PropertyInject("gws.device-path") String devicePath,
                                     @PropertyInject("gws.calling-list") String callingList) {
        return new GenesysCalls(session, acknowledgements, "cometd".equalsIgnoreCase(confirm.trim()), results,
                applicationId, campaignName, devicePath, callingList);
    }

    @BindToRegistry
    public BatchSteps batchSteps() {
        return new BatchSteps();
    }

    @BindToRegistry
    public TransientElementRetries elementRetries(@PropertyInject("element-retry.max-retries") int maxRetries,
                                                  @PropertyInject("element-retry.initial-delay") int initialDelay,
                                                  @PropertyInject("element-retry.multiplier") double multiplier,
                                                  @PropertyInject("element-retry.max-delay") int maxDelay,
                                                  @PropertyInject("element-errors.transient") String transientErrors,
                                                  @PropertyInject("element-errors.permanent") String permanentErrors) {
        return new TransientElementRetries(maxRetries, initialDelay, multiplier, maxDelay,
                ElementErrorPolicy.fromConfig(transientErrors, permanentErrors));
    }

    /**
     * The bridge's meters, on the registry Camel serves at /observe/metrics (camel.metrics.enabled);
     * with metrics off, on a registry nobody reads.
     */
    @BindToRegistry
    public BridgeMetrics bridgeMetrics(CamelContext context, @BeanInject("batchSenders") ExecutorService batchSenders,
                                       @BeanInject("requestSlots") RequestSlots requestSlots,
                                       @BeanInject("inboxLease") InboxLease inboxLease) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        return new BridgeMetrics(registry != null ? registry : new SimpleMeterRegistry())
                .watching(Path.of(home, "inbox"), batchSenders, clock)
                .watching(requestSlots)
                .watchingLease(inboxLease)
                .watching(kafkaLag);
    }

    /** The routes of the status page consume from it: served on the management port, beside /observe/health. */
    @BindToRegistry("management-http")
    public PlatformHttpComponent managementHttp(@PropertyInject("management.port") int managementPort) {
        return ManagementPortEngine.component(managementPort);
    }

    /** What this daemon is doing, for the status page (routes/status-page.camel.yaml). */
    @BindToRegistry(lazy = true)
    public DaemonStatus daemonStatus(@BeanInject("progress") Progress progress,
                                     @BeanInject("bridgeMetrics") BridgeMetrics metrics,
                                     @BeanInject("inboxLease") InboxLease lease,
                                     @BeanInject("dialerReachability") DialerReachability reachability,
                                     @BeanInject("dialerGate") DialerGate gate,
                                     @PropertyInject("management.status-recent-files") int recentFiles) {
        return new DaemonStatus(Path.of(home), progress, metrics.registry(), lease, reachability, gate,
                kafkaBootstrapServers != null && !kafkaBootstrapServers.isBlank(), clock, recentFiles);
    }

    @BindToRegistry
    public CsvErrorFiles csvErrorFiles() {
        return new CsvErrorFiles(Path.of(home, "done"));
    }

    @BindToRegistry
    public Progress progress(@PropertyInject("progress.interval") int interval) {
        return new Progress(clock, Duration.ofMillis(interval));
    }

    @BindToRegistry(lazy = true)
    public RetryNotice retryNotice(@BeanInject("bridgeMetrics") BridgeMetrics metrics,
                                   @PropertyInject("retry.max-retries") int maxRetries) {
        return new RetryNotice(metrics, maxRetries);
    }

    /** The one Kafka producer, closed with the context. */
    @BindToRegistry(destroyMethod = "close")
    public KafkaSetup kafkaSetup(CamelContext context, @PropertyInject("camel.main.name") String name) {
        return new KafkaSetup(context, kafkaBootstrapServers, name);
    }

    /** Whether Kafka admits the bridge's clients; also camel-kafka's poll exception strategy. */
    @BindToRegistry(destroyMethod = "close")
    public KafkaAccess kafkaAccess(CamelContext context) {
        return kafkaAccessOf(context);
    }

    @BindToRegistry
    public KafkaAccessHealthCheck kafkaAccessHealthCheck(CamelContext context) {
        return new KafkaAccessHealthCheck(kafkaAccessOf(context));
    }

    /** The field mapping of mapping.file, read once, for files and Kafka alike. */
    private synchronized FieldMapping fieldMapping() {
        if (fieldMapping == null) {
            fieldMapping = fieldMapping(mappingFile, mappingStrict);
        }
        return fieldMapping;
    }

    /** The field mapping of the settings mapping.file and mapping.strict (also for reconcile, which starts no Camel). */
    public static FieldMapping fieldMapping(String mappingFile, boolean mappingStrict) {
        try {
            return mappingFile == null || mappingFile.isBlank() ? FieldMapping.NONE
                    : FieldMapping.load(Path.of(mappingFile.trim()), mappingStrict);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException("mapping.file " + mappingFile + " cannot be used: " + e.getMessage());
        }
    }

    /** The one KafkaAccess, whichever of the beans that use it is declared first; it probes with kafkaSetup. */
    private synchronized KafkaAccess kafkaAccessOf(CamelContext context) {
        if (kafkaAccess == null) {
            kafkaAccess = new KafkaAccess(Duration.ofMillis(kafkaRefusedPause),
                    () -> context.getRegistry().lookupByNameAndType("kafkaSetup", KafkaSetup.class).probe(),
                    context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "kafkaAccessProbe"),
                    kafkaBootstrapServers, Duration.ofMillis(kafkaUnreachableAfter), clock);
            // poll failures go to it: one log line when Kafka refuses the bridge, a pause, readiness DOWN
            context.getComponent("kafka", KafkaComponent.class).setPollExceptionStrategy(kafkaAccess);
            if (kafkaBootstrapServers != null && !kafkaBootstrapServers.isBlank()) {
                // once the kafka component has its settings, before the routes start: a plaintext client
                // must not reach a TLS listener (it can run out of memory), and a security protocol the
                // listener does not expect gives no error, only dropped connections: the access check says why
                KafkaAccess access = kafkaAccess;
                try {
                    context.addStartupListener((started, alreadyStarted) -> {
                        started.getRegistry().lookupByNameAndType("kafkaSetup", KafkaSetup.class).refusePlaintextToTls();
                        access.watch();
                    });
                } catch (Exception e) {
                    throw new IllegalStateException("could not register the Kafka access check", e);
                }
            }
        }
        return kafkaAccess;
    }

    /**
     * The dead-letter output chosen by dead-letter.target. Lazy, as are the beans that use it: the Kafka
     * producer takes the kafka component's settings, which camel-main applies after this class.
     */
    @BindToRegistry(lazy = true)
    public DeadLetters deadLetters(@BeanInject("kafkaSetup") KafkaSetup kafka) {
        return deadLetterTarget.equals("kafka")
                ? new KafkaDeadLetters(kafka.producer(), deadLetterTopic, clock, KafkaSetup.ACK_TIMEOUT)
                : new FileDeadLetters(Path.of(home, "dead-letter"), clock);
    }

    @BindToRegistry(lazy = true)
    public Deliveries deliveries(CamelContext context, @BeanInject("deadLetters") DeadLetters deadLetters,
                                 @BeanInject("syncState") SyncState syncState) throws IOException {
        Deliveries deliveries = new Deliveries(deadLetters, Path.of(home, "state"), journalFsync, batchMaxElements,
                Duration.ofMillis(batchMaxWait), clock, fieldMapping()).syncing(syncState)
                .checkingFields(fieldCheckOf(context)::check);
        deliveries.sweepFinishedJournals(Path.of(home, "inbox"));
        return deliveries;
    }

    /** Incremental sync of snapshots (sync.mode, docs/SYNC.md); its store opens on first use, under state/. */
    @BindToRegistry(lazy = true, destroyMethod = "close")
    public SyncState syncState(CamelContext context, @BeanInject("bridgeMetrics") BridgeMetrics metrics,
                               @PropertyInject("sync.mode") String syncMode) {
        Map<String, String> projects = new Settings(context.getPropertiesComponent()).withPrefix("projects.");
        return new SyncState(Path.of(home, "state"), Path.of(home, "reports"), syncMode, projects,
                new RecordFingerprint(ProjectDefaults.fromProperties(projects)), metrics::unchanged, clock);
    }

    @BindToRegistry
    public KafkaPolls kafkaPolls(CamelContext context) {
        return new KafkaPolls(kafkaAccessOf(context));
    }

    /** The books of the Kafka source: what may go, what waits, up to where each partition may be committed. */
    @BindToRegistry
    public InFlightRecords inFlightRecords(CamelContext context) {
        return kafkaConsumerThreadOf(context).books();
    }

    /** Commits, pauses and seeks on each consumer's own thread (route ingest-kafka's pausable step). */
    @BindToRegistry
    public KafkaConsumerThread kafkaConsumerThread(CamelContext context) {
        return kafkaConsumerThreadOf(context);
    }

    /** camel-kafka subscribes through it (looked up by this name), so it sees the rebalances. */
    @BindToRegistry(KafkaConstants.KAFKA_SUBSCRIBE_ADAPTER)
    public SubscribeAdapter subscribeAdapter(CamelContext context) {
        return kafkaConsumerThreadOf(context);
    }

    /** One of each, whichever bean that names it is declared first; the lag gauges go to bridgeMetrics. */
    private synchronized KafkaConsumerThread kafkaConsumerThreadOf(CamelContext context) {
        if (kafkaConsumerThread == null) {
            Settings settings = new Settings(context.getPropertiesComponent());
            kafkaConsumerThread = new KafkaConsumerThread(new InFlightRecords(pollBatcherOf(context)),
                    Integer.parseInt(settings.get("kafka.max-in-flight-records").trim()),
                    Duration.ofMillis(Long.parseLong(settings.get("kafka.failure-pause").trim())),
                    Duration.ofMillis(Long.parseLong(settings.get("kafka.max-poll-interval").trim()) / 2),
                    // above kafka.max-in-flight-records: wait at most one poll timeout for the pipeline before pausing
                    Duration.ofMillis(Long.parseLong(settings.get("batch.max-wait").trim())), clock, kafkaLag)
                    // a partition that leaves takes its elements' pending new choice values with it
                    .tellingPartitionsLeft(fieldCheckOf(context)::forget);
            // on shutdown the consumers stop polling at once, before Camel waits for the work in flight
            StopPollingOnShutdown stopPolling = new StopPollingOnShutdown(kafkaConsumerThread);
            context.getManagementStrategy().addEventNotifier(stopPolling);
            org.apache.camel.support.service.ServiceHelper.startService(stopPolling);
        }
        return kafkaConsumerThread;
    }

    /** The pre-flight field check (fields.*, docs/SYNC.md): route steps of process-file and publish-file name it. */
    @BindToRegistry
    public PreflightFieldCheck fieldCheck(CamelContext context) {
        return fieldCheckOf(context);
    }

    /** One of each, whichever bean that uses it is declared first; skipped checks go to bridgeMetrics. */
    private synchronized PreflightFieldCheck fieldCheckOf(CamelContext context) {
        if (fieldCheck == null) {
            Settings settings = new Settings(context.getPropertiesComponent());
            // the one JDK client of the bridge (bean dialerHttp), looked up when a project's fields are read
            try {
                fieldCheck = new PreflightFieldCheck(project -> new ProjectFieldsReader(
                    context.getRegistry().lookupByNameAndType("dialerHttp", DialerHttp.class), vccBaseUrl,
                    new VccCredentials(vccCustomer, vccToken)).read(project), Boolean.parseBoolean(settings.get("fields.check").trim()),
                    Duration.ofMillis(Long.parseLong(settings.get("fields.cache-ttl").trim())), settings.get("fields.new-values"),
                    fieldMapping(), clock,
                    project -> context.getRegistry().lookupByNameAndType("bridgeMetrics", BridgeMetrics.class)
                            .fieldChecksSkipped(project));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(e.getMessage());
            }
        }
        return fieldCheck;
    }

    @BindToRegistry
    public PollBatcher pollBatcher(CamelContext context) {
        return pollBatcherOf(context);
    }

    private synchronized PollBatcher pollBatcherOf(CamelContext context) {
        if (pollBatcher != null) {
            return pollBatcher;
        }
        Settings settings = new Settings(context.getPropertiesComponent());
        Map<String, Operation> byTopic = new LinkedHashMap<>();
        KafkaSetup.topics(settings).forEach((operation, topic) -> byTopic.put(topic, operation));
        pollBatcher = new PollBatcher(byTopic, batchMaxElements, KafkaSetup.format(settings), fieldMapping())
                .checkingFields(fieldCheckOf(context)::check)
                .reportingIgnored(ignored -> {
                    context.getRegistry().lookupByNameAndType("bridgeMetrics", BridgeMetrics.class)
                            .ignored(ignored.projectId(), ignored.operation(), ignored.reason());
                    // the topic's row on the status page counts it too
                    context.getRegistry().lookupByNameAndType("progress", Progress.class)
                            .ignored(ignored.source(), ignored.projectId(), ignored.operation());
                });
        return pollBatcher;
    }

    @BindToRegistry(lazy = true)
    public FilePublisher filePublisher(CamelContext context, @BeanInject("kafkaSetup") KafkaSetup kafka,
                                       @BeanInject("deliveries") Deliveries deliveries,
                                       @BeanInject("bridgeMetrics") BridgeMetrics metrics) {
        return new FilePublisher(kafka::producer, KafkaSetup.topics(new Settings(context.getPropertiesComponent())),
                deliveries, KafkaSetup.ACK_TIMEOUT, kafkaAccessOf(context), fieldMapping())
                .countingDeadLetters(metrics::accounted);
    }
}
