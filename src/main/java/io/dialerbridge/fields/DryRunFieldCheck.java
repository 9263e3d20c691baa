package io.dialerbridge.fields;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.config.Settings;
import io.dialerbridge.dialer.DialerHttp;
import io.dialerbridge.dialer.vcc.VccCredentials;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.mapping.FieldMapping;
import io.dialerbridge.operation.Operation;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pre-flight field check in {@code validate} (the dry run): the same check as {@code send}, when the
 * dialer of the settings can be read; otherwise the dry run says that it could not check, and goes on
 * offline.
 */
public final class DryRunFieldCheck {

    private final String projectId;
    private final Operation operation;
    private final PreflightFieldCheck check;
    private String notChecked;
    private final Set<String> usedFields = new TreeSet<>();

    private DryRunFieldCheck(String projectId, Operation operation, PreflightFieldCheck check, String notChecked) {
        this.projectId = projectId;
        this.operation = operation;
        this.check = check;
        this.notChecked = notChecked;
    }

    /** Reads the project's fields from the dialer of the settings, if it can. */
    public static DryRunFieldCheck of(Settings settings, String projectId, Operation operation) {
        if (operation == Operation.UPDATE_OUTBOUND_RECORDS) {
            return new DryRunFieldCheck(projectId, operation, null, "Genesys has no project fields");
        }
        if (!Boolean.parseBoolean(settings.get("fields.check").trim())) {
            return new DryRunFieldCheck(projectId, operation, null, "fields.check=false");
        }
        if (settings.isBlank("vcc.customer") || settings.isBlank("vcc.token")) {
            return new DryRunFieldCheck(projectId, operation, null, "no dialer configured (VCC_CUSTOMER, VCC_TOKEN)");
        }
        DialerHttp http = new DialerHttp(Duration.ofMillis(Long.parseLong(settings.get("vcc.connect-timeout").trim())),
                Duration.ofMillis(Long.parseLong(settings.get("vcc.response-timeout").trim())));
        ProjectFieldsReader reader = new ProjectFieldsReader(http, ProjectFieldsReader.vccBaseUrl(settings),
                new VccCredentials(settings.get("vcc.customer"), settings.get("vcc.token")));
        AtomicReference<String> unreadable = new AtomicReference<>();
        PreflightFieldCheck check = new PreflightFieldCheck(project -> {
            try {
                return reader.read(project);
            } catch (ProjectFieldsReader.Unreadable e) {
                unreadable.set(e.getMessage());
                throw e;
            }
        }, true, Duration.ofDays(1), settings.get("fields.new-values"), FieldMapping.NONE, Clock.systemUTC(), project -> {
        });
        try {
            if (check.fieldsOf(projectId) == null) {
                return new DryRunFieldCheck(projectId, operation, null, unreadable.get());
            }
        } catch (FieldsUnavailableException e) {
            return new DryRunFieldCheck(projectId, operation, null, unreadable.get());
        }
        return new DryRunFieldCheck(projectId, operation, check, null);
    }

    /** Null when {@code file} may be sent, else why the whole file would go to failed/ (a CSV header naming an unknown field). */
    public String refusesWhole(Path file) throws IOException {
        if (check == null) {
            return null;
        }
        try {
            check.beforeFirstBatch(new File(file.toString()), file.toString(), projectId, operation.id());
            return null;
        } catch (UnknownColumnsException e) {
            return e.getMessage();
        }
    }

    /** The element's verdict, as {@code send} would give it; null when the fields could not be read. */
    public Rejection check(Element element) {
        if (check == null) {
            return null;
        }
        JsonNode body = element.body();
        if (body != null) {
            for (String object : new String[] {"form", "search"}) {
                for (Iterator<String> names = body.path(object).fieldNames(); names.hasNext(); ) {
                    usedFields.add(names.next());
                }
            }
            usedFields.remove("numberid");
        }
        Rejection why = check.check(element);
        if (why == null) {
            // nothing is sent: the values an element that would be sent brings are those the dialer would create
            check.recorded(List.of(element), List.of());
        }
        return why;
    }

    /** One line: which fields were checked and which new values were found, or why nothing was checked. */
    public String summary(Iterable<Path> files) {
        if (check == null) {
            return "fields: not checked: " + notChecked;
        }
        StringBuilder line = new StringBuilder("fields: checked against project " + projectId + " ("
                + (usedFields.isEmpty() ? "no form fields used" : String.join(", ", usedFields)) + ")");
        Map<String, Set<String>> found = new java.util.TreeMap<>();
        for (Path file : files) {
            check.newValues(file.toString()).forEach((field, values) ->
                    found.computeIfAbsent(field, f -> new TreeSet<>()).addAll(values));
        }
        if (found.isEmpty()) {
            line.append("; no new values");
        } else {
            line.append("; new values (the dialer would create them):");
            found.forEach((field, values) -> line.append(' ').append(field).append(": ").append(String.join(", ", values)).append(';'));
            line.setLength(line.length() - 1);
        }
        return line.toString();
    }
}
