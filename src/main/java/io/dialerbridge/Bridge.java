package io.dialerbridge;


import io.dialerbridge.batch.Deliveries;
import io.dialerbridge.config.BridgeBeans;
import io.dialerbridge.config.BridgeSettings;
import io.dialerbridge.config.Settings;
import io.dialerbridge.dialer.vcc.DialerProbe;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.ops.Progress;
import io.dialerbridge.output.RunReport;
import io.dialerbridge.policy.DialerGate;
import io.dialerbridge.sandbox.Sandbox;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;

/**
 * One running bridge: camel-main with the settings file, the routes it names, the beans of
 * {@link BridgeBeans}, and, when no dialer credentials are configured, the embedded sandbox they
 * send to ({@link BridgeSettings}).
 */
public final class Bridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);

    private final Main main;
    private final BridgeSettings bridgeSettings;
    private final Deliveries deliveries;

    private Bridge(Main main, BridgeSettings bridgeSettings) {
        this.main = main;
        this.bridgeSettings = bridgeSettings;
        this.deliveries = main.lookup("deliveries", Deliveries.class);
    }

    /**
     * Starts the bridge on the settings file, with {@code options} (the command line's) over it. With
     * {@code watchInbox} the inbox route polls the drop folder (daemon mode); without it only
     * {@link #send} feeds the pipeline (one-shot mode).
     */
    public static Bridge start(Map<String, String> options, Path configFile, boolean watchInbox) throws Exception {
        return start(options, "file:" + configFile.toAbsolutePath(), watchInbox);
    }

    /** As {@link #start(Map, Path, boolean)}, with the settings at a Camel location ({@code file:…}, {@code classpath:…}). */
    public static Bridge start(Map<String, String> options, String settingsLocation, boolean watchInbox) throws Exception {
        return start(options, settingsLocation, watchInbox, new BridgeSettings());
    }

    /**
     * Starts a one-shot bridge that sends only {@code operation}: the embedded sandbox starts only if
     * that operation's dialer is not configured.
     */
    public static Bridge startFor(Operation operation, Map<String, String> options, String settingsLocation) throws Exception {
        return start(options, settingsLocation, false, new BridgeSettings(EnumSet.of(operation)));
    }

    private static Bridge start(Map<String, String> options, String settingsLocation, boolean watchInbox,
                                BridgeSettings bridgeSettings) throws Exception {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(settingsLocation);
        options.forEach(main::addOverrideProperty);
        main.addOverrideProperty("ingest.file.enabled", String.valueOf(watchInbox));
        main.addMainListener(bridgeSettings);
        main.configure().addConfiguration(new BridgeBeans());
        try {
            main.start();
        } catch (Exception e) {
            bridgeSettings.close();
            throw e;
        }
        Bridge bridge = new Bridge(main, bridgeSettings);
        LOG.info("dialer-bridge started: home {}, sending to {} as customer {}", bridge.settings().get("bridge.home"),
                bridge.settings().get("vcc.base-url"), bridge.settings().get("vcc.customer"));
        return bridge;
    }

    /** Sends one file through the pipeline and returns once every element is accounted for. */
    public RunReport send(Path file, String projectId, Operation operation) {
        try {
            return send(file, projectId, operation, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the first {@code length} bytes of a file (its length when send took it: bytes appended while it is read
     * are not read, as in the daemon's inbox) and returns once every element is accounted for.
     */
    public RunReport send(Path file, String projectId, Operation operation, long length) {
        ProducerTemplate template = context().createProducerTemplate();
        try {
            RunReport report = template.requestBodyAndHeaders("direct:process-file", file.toFile(),
                    Map.of("sourceName", file.toString(), "projectid", projectId, "operation", operation.id(),
                            Exchange.FILE_LENGTH, length),
                    RunReport.class);
            deliveries().release(file.toString());
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            template.stop();
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

    public Progress progress() {
        return main.lookup("progress", Progress.class);
    }

    /** Incremental sync's state (docs/SYNC.md). */
    public io.dialerbridge.sync.SyncState syncState() {
        return main.lookup("syncState", io.dialerbridge.sync.SyncState.class);
    }

    /** Checks, before a one-shot run sends anything, that the dialer answers and knows the project. */
    public DialerProbe dialerProbe() {
        return main.lookup("dialerProbe", DialerProbe.class);
    }

    /** The settings as Camel resolved them, with the sandbox's addresses in sandbox mode. */
    public Settings settings() {
        return new Settings(context().getPropertiesComponent());
    }

    /** The sandbox this bridge started, or null when it sends to a configured dialer. */
    public Sandbox sandbox() {
        return bridgeSettings.sandbox();
    }

    @Override
    public void close() {
        // drain: no new batch is taken from a file in progress; the batches in flight finish and are
        // journalled, the file stays in the inbox and resumes on the next start; requests waiting at the
        // dialer gate (refused credentials, a Retry-After) are not sent, so the stop does not wait for the
        // dialer: their elements stay unacknowledged (file in the inbox, offset not committed)
        deliveries.stopTakingWork();
        DialerGate gate = gate();
        if (gate != null) { // null when the context never got as far as its beans
            gate.stopWaiting();
        }
        main.stop();
        bridgeSettings.close();
    }
}
