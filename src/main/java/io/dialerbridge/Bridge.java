package io.dialerbridge;

import io.dialerbridge.config.ConfigurationException;
import io.dialerbridge.config.Settings;
import io.dialerbridge.dialer.genesys.GenesysCalls;
import io.dialerbridge.dialer.genesys.GenesysSession;
import io.dialerbridge.dialer.vcc.VccCredentials;
import io.dialerbridge.dialer.vcc.AddRecordsJournal;
import io.dialerbridge.dialer.vcc.BatchRequests;
import io.dialerbridge.dialer.vcc.CredentialsProbe;
import io.dialerbridge.dialer.DialerCredentialsHealthCheck;
import io.dialerbridge.dialer.DialerHttp;
import io.dialerbridge.dialer.vcc.DialerProbe;
import io.dialerbridge.policy.DialerGate;
import io.dialerbridge.policy.RetryBudget;
import io.dialerbridge.config.KafkaSetup;
import io.dialerbridge.batch.Deliveries;
import io.dialerbridge.policy.ElementErrorPolicy;
import io.dialerbridge.batch.ElementOutcomes;
import io.dialerbridge.source.Inbox;
import io.dialerbridge.operation.ModifyDispositionsRules;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.dialer.vcc.PartialResults;
import io.dialerbridge.operation.ProjectDefaults;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.output.Results;
import io.dialerbridge.output.RunReport;
import io.dialerbridge.dialer.vcc.SingleCalls;
import io.dialerbridge.policy.TransientElementRetries;
import io.dialerbridge.policy.Exhaustion;
import io.dialerbridge.output.DeadLetters;
import io.dialerbridge.sandbox.Sandbox;
import io.dialerbridge.sandbox.SandboxSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One running bridge: the Camel routes from {@code routes/}, the beans they name, and, when no
 * dialer credentials are configured, the embedded sandbox they send to.
 */
public final class Bridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);

    private final Main main;
    private final Sandbox sandbox;
    private final ThreadPoolExecutor batchSenders;
    private final ThreadPoolExecutor elementSenders;
    private final Deliveries deliveries;
    private final Settings settings;
    private KafkaSetup kafka;

    private Bridge(Main main, Sandbox sandbox, ThreadPoolExecutor batchSenders, ThreadPoolExecutor elementSenders,
                   Deliveries deliveries, Settings settings) {
        this.main = main;
        this.sandbox = sandbox;
        this.batchSenders = batchSenders;
        this.elementSenders = elementSenders;
        this.deliveries = deliveries;
        this.settings = settings;
    }

    /**
     * Starts the bridge. With {@code watchInbox} the inbox route polls the drop folder (daemon mode);
     * without it only {@link #send} feeds the pipeline (one-shot mode).
     */
    public static Bridge start(Settings configured, Path configFile, boolean watchInbox) throws Exception {
        Settings settings = configured.with("ingest.file.enabled", String.valueOf(watchInbox));
        if (settings.isBlank("retry.credentials-refused-redeliveries")) {
            // a running bridge waits for refused credentials to work again; `send` sets 0 to fail fast
            settings = settings.with("retry.credentials-refused-redeliveries", "-1");
        }
        Sandbox sandbox = null;
        boolean vccSandbox = settings.isBlank("vcc.customer") && settings.isBlank("vcc.base-url");
        boolean gwsSandbox = settings.isBlank("gws.user") && settings.isBlank("gws.base-url");
        if (vccSandbox || gwsSandbox) {
            sandbox = Sandbox.start(SandboxSettings.fromProperties(settings.asMap()));
        }
        if (vccSandbox) {
            SandboxSettings sandboxSettings = SandboxSettings.fromProperties(settings.asMap());
            settings = settings.with("vcc.base-url", sandbox.vccBaseUrl())
                    .with("vcc.customer", sandboxSettings.customer())
                    .with("vcc.token", sandboxSettings.token());
            LOG.warn("""

                    *** SANDBOX MODE ***  No dialer credentials are configured, so the bridge sends to its
                    embedded sandbox at {} and nothing leaves this machine.
                    To go live, set VCC_CUSTOMER and VCC_TOKEN (and VCC_BASE_URL to target another server).
                    """, sandbox.vccBaseUrl());
        } else if (settings.isBlank("vcc.customer") || settings.isBlank("vcc.token")) {
            throw new ConfigurationException("vcc.base-url is set but VCC_CUSTOMER or VCC_TOKEN is not: "
                    + "set both to send to " + settings.get("vcc.base-url"));
        } else if (settings.isBlank("vcc.base-url")) {
            settings = settings.with("vcc.base-url",
                    "https://" + settings.get("vcc.customer") + ".asp.virtual-call-center.eu/v2");
        }
        if (gwsSandbox) {
            SandboxSettings sandboxSettings = SandboxSettings.fromProperties(settings.asMap());
            settings = settings.with("gws.base-url", sandbox.gwsBaseUrl())
                    .with("gws.user", sandboxSettings.gwsUser())
                    .with("gws.password", sandboxSettings.gwsPassword());
            LOG.warn("*** SANDBOX MODE (Genesys) *** No GWS_USER is configured: update-outbound-records goes to the "
                    + "embedded sandbox at {}. To go live, set GWS_BASE_URL, GWS_USER and GWS_PASSWORD.", sandbox.gwsBaseUrl());
        } else if (settings.isBlank("gws.base-url") || settings.isBlank("gws.user") || settings.isBlank("gws.password")) {
            throw new ConfigurationException("Genesys is half configured: set all of GWS_BASE_URL, GWS_USER and "
                    + "GWS_PASSWORD (or none of them, for the sandbox)");
        }
        ProjectDefaults projectDefaults = ProjectDefaults.fromProperties(settings.asMap());
        projectDefaults.dispositionDefaults().forEach((project, values) -> {
            Rejection why = ModifyDispositionsRules.checkDefaults(values);
            if (why != null) {
                throw new ConfigurationException("projects." + project + ".disposition: " + why.message());
            }
        });
        Path home = Path.of(settings.get("bridge.home"));
        Files.createDirectories(home.resolve("inbox"));
        // --- Kafka: on when kafka.bootstrap-servers is set (docs/KAFKA.md) ---
        KafkaSetup kafka = KafkaSetup.configure(settings);
        settings = kafka.settings();

        Clock clock = Clock.systemUTC();
        int inFlight = settings.getInt("batch.max-in-flight");
        ThreadPoolExecutor batchSenders = new ThreadPoolExecutor(inFlight, inFlight, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(inFlight), namedThreads("batch-sender"), new ThreadPoolExecutor.CallerRunsPolicy());
        int elementsInFlight = settings.getInt("single.max-in-flight");
        ThreadPoolExecutor elementSenders = new ThreadPoolExecutor(elementsInFlight, elementsInFlight, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(elementsInFlight), namedThreads("element-sender"), new ThreadPoolExecutor.CallerRunsPolicy());
        Results results = new Results(home.resolve("results"));
        AddRecordsJournal journal = new AddRecordsJournal(home.resolve("state").resolve("add-records-journal.ndjson"), clock);
        DialerHttp dialerHttp = new DialerHttp(settings.getMillis("vcc.connect-timeout"), settings.getMillis("vcc.response-timeout"));
        VccCredentials vccCredentials = new VccCredentials(settings.get("vcc.customer"), settings.get("vcc.token"));
        GenesysSession genesysSession = new GenesysSession(settings.get("gws.base-url"), settings.get("gws.user"),
                settings.get("gws.password"), dialerHttp, settings.getMillis("gws.session-max-age"), clock);
        DeadLetters deadLetters = kafka.deadLetters(home.resolve("dead-letter"), clock);
        Deliveries deliveries = new Deliveries(deadLetters,
                home.resolve("state"), Boolean.parseBoolean(settings.get("journal.fsync")),
                settings.getInt("batch.max-elements"), settings.getMillis("batch.max-wait"), clock);

        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:" + configFile.toAbsolutePath());
        Map<String, String> overrides = settings.asMap();
        overrides.forEach(main::addOverrideProperty);
        main.configure().withRoutesIncludePattern("file:" + Path.of(settings.get("bridge.routes")).toAbsolutePath()
                + "/*.camel.yaml");
        main.bind("deliveries", deliveries);
        main.bind("deadLetters", deadLetters);
        main.bind("partialResults", new PartialResults());
        main.bind("batchRequests", new BatchRequests(projectDefaults));
        main.bind("elementSenders", elementSenders);
        main.bind("elementOutcomes", new ElementOutcomes());
        main.bind("singleCalls", new SingleCalls(journal, results, settings.asMap().get("add-records.unique-field")));
        main.bind("genesysSession", genesysSession);
        main.bind("genesysCalls", new GenesysCalls(genesysSession, results, settings.asMap().get("gws.application-id"),
                settings.asMap().get("gws.campaign-name"), settings.asMap().get("gws.device-path"),
                settings.asMap().get("gws.calling-list")));
        main.bind("elementRetries", new TransientElementRetries(settings.getInt("element-retry.max-retries"),
                settings.getInt("element-retry.initial-delay"), Double.parseDouble(settings.get("element-retry.multiplier")),
                settings.getInt("element-retry.max-delay"),
                ElementErrorPolicy.fromConfig(settings.get("element-errors.transient"), settings.get("element-errors.permanent"))));
        main.bind("exhaustion", new Exhaustion(journal, settings.asMap().get("add-records.unique-field")));
        main.bind("inbox", new Inbox(home, clock));
        main.bind("vccCredentials", vccCredentials);
        main.bind("dialerProbe", new DialerProbe(dialerHttp, settings.get("vcc.base-url"), vccCredentials));
        main.bind("batchSenders", batchSenders);
        DialerGate gate = new DialerGate(clock, Duration.ofSeconds(settings.getInt("retry.max-retry-after")));
        main.bind("dialerGate", gate);
        main.bind("credentialsProbe", new CredentialsProbe(gate, dialerHttp, settings.get("vcc.base-url"),
                vccCredentials.authorization()));
        main.bind("retryBudget", new RetryBudget(settings.getInt("retry.max-retries"),
                settings.getMillis("retry.max-total-time"), clock));
        main.bind("dialerCredentialsHealthCheck", new DialerCredentialsHealthCheck(gate));
        kafka.bind(main::bind, deliveries);
        try {
            main.start();
        } catch (Exception e) {
            batchSenders.shutdownNow();
            elementSenders.shutdownNow();
            kafka.close();
            if (sandbox != null) {
                sandbox.close();
            }
            throw e;
        }
        LOG.info("dialer-bridge started: home {}, sending to {} as customer {}", home.toAbsolutePath(),
                settings.get("vcc.base-url"), settings.get("vcc.customer"));
        Bridge bridge = new Bridge(main, sandbox, batchSenders, elementSenders, deliveries, settings);
        bridge.kafka = kafka;
        return bridge;
    }

    /** Sends one file through the pipeline and returns once every element is accounted for. */
    public RunReport send(Path file, String projectId, Operation operation) {
        ProducerTemplate template = context().createProducerTemplate();
        try {
            return template.requestBodyAndHeaders("direct:process-file", file.toFile(),
                    Map.of("sourceName", file.toString(), "projectid", projectId, "operation", operation.id()),
                    RunReport.class);
        } finally {
            try {
                template.stop();
            } catch (Exception e) {
                LOG.debug("closing producer template", e);
            }
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Deliveries deliveries() {
        return deliveries;
    }

    public DialerGate gate() {
        return main.lookup("dialerGate", DialerGate.class);
    }

    /** Checks, before a one-shot run sends anything, that the dialer answers and knows the project. */
    public DialerProbe dialerProbe() {
        return main.lookup("dialerProbe", DialerProbe.class);
    }

    public Settings settings() {
        return settings;
    }

    /** The sandbox this bridge started, or null when it sends to a configured dialer. */
    public Sandbox sandbox() {
        return sandbox;
    }

    @Override
    public void close() {
        // drain: no new batch is taken from a file in progress; the batches in flight finish and are
        // journalled, the file stays in the inbox and resumes on the next start
        deliveries.stopTakingWork();
        main.stop();
        batchSenders.shutdown();
        elementSenders.shutdown();
        if (kafka != null) {
            kafka.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static java.util.concurrent.ThreadFactory namedThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
