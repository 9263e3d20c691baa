package io.dialerbridge.config;

import io.dialerbridge.element.Rejection;
import io.dialerbridge.operation.ModifyDispositionsRules;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.operation.OperationRules;
import io.dialerbridge.operation.ProjectDefaults;
import io.dialerbridge.sandbox.Sandbox;
import io.dialerbridge.source.InboxLease;
import io.dialerbridge.sandbox.SandboxSettings;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What Camel's properties cannot express, decided before the beans and routes are configured: with
 * no dialer configured, the embedded sandbox and the addresses and credentials that point at it (started
 * only when the run may send to an unconfigured dialer: a one-shot VCC send starts no Genesys stand-in);
 * the refusals of settings that cannot work (unknown or malformed settings, an unwritable home, a
 * health port in use, a half-configured dialer, bad disposition defaults, bad Kafka settings), before
 * anything is consumed; the keys derived for the routes; and the routes of {@code bridge.routes} (set here,
 * not in the settings file, so that route tests on the same file choose their own routes). Derived
 * values become Camel override properties, so beans and routes read one value per key.
 */
public final class BridgeSettings extends MainListenerSupport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeSettings.class);

    private final boolean sendsToVcc;
    private final boolean sendsToGenesys;
    private Sandbox sandbox;

    /** For a run that may send any operation (the daemon). */
    public BridgeSettings() {
        this(EnumSet.allOf(Operation.class));
    }

    /** For a run that sends only these operations (a one-shot send). */
    public BridgeSettings(Set<Operation> operations) {
        this.sendsToGenesys = operations.stream()
                .anyMatch(o -> o.rules().delivery() == OperationRules.Delivery.GENESYS_SINGLE);
        this.sendsToVcc = operations.stream()
                .anyMatch(o -> o.rules().delivery() != OperationRules.Delivery.GENESYS_SINGLE);
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        Settings settings = new Settings(properties);
        refuseWhatCannotWork(settings, SettingsReference.bundled());
        boolean vccSandbox = settings.isBlank("vcc.customer") && settings.isBlank("vcc.base-url");
        boolean gwsSandbox = settings.isBlank("gws.user") && settings.isBlank("gws.base-url");
        try {
            if (vccSandbox && sendsToVcc || gwsSandbox && sendsToGenesys) {
                sandbox = Sandbox.start(SandboxSettings.fromProperties(settings.withPrefix("sandbox.")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (vccSandbox && sandbox == null) {
            LOG.debug("VCC Live is not configured and this run does not send to it: no sandbox for it");
        } else if (vccSandbox) {
            properties.addOverrideProperty("vcc.base-url", sandbox.vccBaseUrl());
            properties.addOverrideProperty("vcc.customer", sandbox.settings().customer());
            properties.addOverrideProperty("vcc.token", sandbox.settings().token());
            LOG.warn("""

                    *** SANDBOX MODE ***  No dialer credentials are configured, so the bridge sends to its
                    embedded sandbox at {} and nothing leaves this machine.
                    To go live, set VCC_CUSTOMER and VCC_TOKEN (and VCC_BASE_URL to target another server).
                    """, sandbox.vccBaseUrl());
        } else if (settings.isBlank("vcc.customer") || settings.isBlank("vcc.token")) {
            throw new ConfigurationException("vcc.base-url is set but VCC_CUSTOMER or VCC_TOKEN is not: "
                    + "set both to send to " + settings.get("vcc.base-url"));
        } else if (settings.isBlank("vcc.base-url")) {
            properties.addOverrideProperty("vcc.base-url",
                    "https://" + settings.get("vcc.customer") + ".asp.virtual-call-center.eu/v2");
        }
        if (gwsSandbox && sandbox == null) {
            LOG.debug("Genesys is not configured and this run does not send to it: no sandbox for it");
        } else if (gwsSandbox) {
            properties.addOverrideProperty("gws.base-url", sandbox.gwsBaseUrl());
            properties.addOverrideProperty("gws.user", sandbox.settings().gwsUser());
            properties.addOverrideProperty("gws.password", sandbox.settings().gwsPassword());
            LOG.warn("*** SANDBOX MODE (Genesys) *** No GWS_USER is configured: update-outbound-records goes to the "
                    + "embedded sandbox at {}. To go live, set GWS_BASE_URL, GWS_USER and GWS_PASSWORD.", sandbox.gwsBaseUrl());
        } else if (settings.isBlank("gws.base-url") || settings.isBlank("gws.user") || settings.isBlank("gws.password")) {
            throw new ConfigurationException("Genesys is half configured: set all of GWS_BASE_URL, GWS_USER and "
                    + "GWS_PASSWORD (or none of them, for the sandbox)");
        }
        ProjectDefaults.fromProperties(settings.withPrefix("projects.")).dispositionDefaults().forEach((project, values) -> {
            Rejection why = ModifyDispositionsRules.checkDefaults(values);
            if (why != null) {
                throw new ConfigurationException("projects." + project + ".disposition: " + why.message());
            }
        });
        KafkaSetup.derivedSettings(settings).forEach(properties::addOverrideProperty);
        // several daemons on one folder: the inbox is consumed by the holder of the inbox lease only
        String inbox = "file:" + settings.get("bridge.home") + "/inbox";
        if (settings.get("cluster.enabled").equals("true") && !settings.isBlank("ingest.file.enabled")
                && settings.get("ingest.file.enabled").equals("true")) {
            InboxLease.checkLocking(Path.of(settings.get("bridge.home"), "state", "cluster"));
            inbox = "master:" + InboxLease.NAMESPACE + ":" + inbox;
        }
        properties.addOverrideProperty("ingest.file.from", inbox);
        Path routes = Path.of(settings.get("bridge.routes")).toAbsolutePath();
        if (Files.isDirectory(routes)) {
            main.configure().withRoutesIncludePattern("file:" + routes + "/*.camel.yaml");
        } else {
            LOG.info("No routes folder at {}: running the routes inside the jar", routes);
            main.configure().withRoutesIncludePattern(EmbeddedRoutes.includePattern());
        }
    }

    /**
     * Refuses, before anything is started or consumed, settings that cannot work: unknown or malformed
     * settings (see {@link SettingsReference}), a {@code bridge.home} the bridge cannot write to, and a
     * health endpoint port another process holds.
     */
    private static void refuseWhatCannotWork(Settings settings, SettingsReference reference) {
        List<String> problems = new ArrayList<>();
        Map<String, String> bridgeKeys = new TreeMap<>();
        reference.namespaces().forEach(namespace -> bridgeKeys.putAll(settings.withPrefix(namespace)));
        bridgeKeys.forEach((key, value) -> {
            String problem = reference.problem(key, value);
            String variable = SettingsReference.variableOf(key);
            if (problem != null) {
                problems.add(problem + (System.getenv(variable) == null ? "" : " (set by " + variable + ")"));
            }
        });
        System.getenv().keySet().stream().sorted().forEach(name -> {
            String problem = reference.unknownVariable(name, bridgeKeys.keySet());
            if (problem != null) {
                problems.add(problem);
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("; ", problems));
        }
        Path home = Path.of(settings.get("bridge.home")).toAbsolutePath();
        try {
            Files.createDirectories(home.resolve("inbox"));
            Files.delete(Files.createTempFile(home, ".writable", ".probe"));
        } catch (IOException e) {
            throw new ConfigurationException("bridge.home " + home + " is not a folder the bridge can write to ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        if (Boolean.parseBoolean(settings.get("management.enabled"))) {
            String host = settings.get("management.host");
            int port = Integer.parseInt(settings.get("management.port"));
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(host, port));
            } catch (IOException e) {
                throw new ConfigurationException("management.port " + port + " on " + host
                        + " cannot serve the health endpoint (" + e.getMessage()
                        + "): stop what holds it, or set MANAGEMENT_PORT to a free port");
            }
        }
    }

    /** The sandbox this bridge started, or null when it sends to configured dialers. */
    public Sandbox sandbox() {
        return sandbox;
    }

    @Override
    public void close() {
        if (sandbox != null) {
            sandbox.close();
        }
    }
}
