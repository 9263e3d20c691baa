package io.dialerbridge.config;

import io.dialerbridge.element.Rejection;
import io.dialerbridge.operation.ModifyDispositionsRules;
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
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Camel's properties cannot express, decided before the beans and routes are configured: with
 * no dialer configured, the embedded sandbox and the addresses and credentials that point at it;
 * the refusals of settings that cannot work (a half-configured dialer, bad disposition defaults, bad
 * Kafka settings); the keys derived for the routes; and the routes of {@code bridge.routes} (set here,
 * not in the settings file, so that route tests on the same file choose their own routes). Derived
 * values become Camel override properties, so beans and routes read one value per key.
 */
public final class BridgeSettings extends MainListenerSupport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeSettings.class);

    private Sandbox sandbox;

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        Settings settings = new Settings(properties);
        boolean vccSandbox = settings.isBlank("vcc.customer") && settings.isBlank("vcc.base-url");
        boolean gwsSandbox = settings.isBlank("gws.user") && settings.isBlank("gws.base-url");
        SandboxSettings sandboxSettings = SandboxSettings.fromProperties(settings.withPrefix("sandbox."));
        try {
            if (vccSandbox || gwsSandbox) {
                sandbox = Sandbox.start(sandboxSettings);
            }
            Files.createDirectories(Path.of(settings.get("bridge.home")).resolve("inbox"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (vccSandbox) {
            properties.addOverrideProperty("vcc.base-url", sandbox.vccBaseUrl());
            properties.addOverrideProperty("vcc.customer", sandboxSettings.customer());
            properties.addOverrideProperty("vcc.token", sandboxSettings.token());
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
        if (gwsSandbox) {
            properties.addOverrideProperty("gws.base-url", sandbox.gwsBaseUrl());
            properties.addOverrideProperty("gws.user", sandboxSettings.gwsUser());
            properties.addOverrideProperty("gws.password", sandboxSettings.gwsPassword());
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
        main.configure().withRoutesIncludePattern("file:" + Path.of(settings.get("bridge.routes")).toAbsolutePath()
                + "/*.camel.yaml");
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
