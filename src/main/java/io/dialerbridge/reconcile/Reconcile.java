package io.dialerbridge.reconcile;

import io.dialerbridge.fields.ProjectFields;
import io.dialerbridge.config.BridgeBeans;
import io.dialerbridge.config.ConfigurationException;
import io.dialerbridge.config.Settings;
import io.dialerbridge.dialer.DialerHttp;
import io.dialerbridge.dialer.vcc.VccCredentials;
import io.dialerbridge.mapping.FieldMapping;
import io.dialerbridge.operation.ProjectDefaults;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * {@code dialer-bridge reconcile}: reads modify-records input files, reads a sample of their records
 * back from the dialer configured in the settings, and writes the differences to a report under
 * {@code $BRIDGE_HOME/reports/}.
 */
public final class Reconcile {

    private Reconcile() {
    }

    /** The outcome, and the report that holds its differences. */
    public record Outcome(Reconciliation.Result result, Path report) {
    }

    /** Checks {@code sample} records of the files (every record when null). */
    public static Outcome run(Settings settings, String projectId, List<Path> files, Integer sample, Clock clock)
            throws IOException {
        if (settings.isBlank("vcc.customer") || settings.isBlank("vcc.token")) {
            throw new ConfigurationException("reconcile reads records back from the dialer: set VCC_CUSTOMER and "
                    + "VCC_TOKEN (and VCC_BASE_URL for another server than VCC Live's)");
        }
        String customer = settings.get("vcc.customer");
        String baseUrl = io.dialerbridge.fields.ProjectFieldsReader.vccBaseUrl(settings);
        DialerHttp http = new DialerHttp(Duration.ofMillis(Long.parseLong(settings.get("vcc.connect-timeout"))),
                Duration.ofMillis(Long.parseLong(settings.get("vcc.response-timeout"))));
        DialerReadBack dialer = new DialerReadBack(http, baseUrl, projectId,
                new VccCredentials(customer, settings.get("vcc.token")),
                Double.parseDouble(settings.get("reconcile.max-requests-per-second")));
        // the inputs as send and the daemon read them: through the field mapping (mapping.file, docs/MAPPING.md)
        FieldMapping mapping = BridgeBeans.fieldMapping(settings.get("mapping.file"),
                Boolean.parseBoolean(settings.get("mapping.strict").trim()));
        ProjectFields fields = dialer.fields();
        SentRecords sent = SentRecords.read(files, projectId,
                ProjectDefaults.fromProperties(settings.withPrefix("projects.")).forBatch(projectId, "default", null),
                sample == null ? Integer.MAX_VALUE : sample, new Random(),
                FieldCheckPreflight.of(Boolean.parseBoolean(settings.get("fields.check").trim()),
                        settings.get("fields.new-values"), fields, projectId, mapping), mapping);
        Reconciliation.Result result = Reconciliation.compare(sent, fields, dialer);
        Path report = DifferenceReport.write(Path.of(settings.get("bridge.home"), "reports"), projectId, clock.instant(),
                result.differences());
        return new Outcome(result, report);
    }
}
