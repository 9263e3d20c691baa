package io.dialerbridge.reconcile;

import io.dialerbridge.element.Element;
import io.dialerbridge.fields.PreflightFieldCheck;
import io.dialerbridge.fields.ProjectFields;
import io.dialerbridge.fields.UnknownColumnsException;
import io.dialerbridge.mapping.FieldMapping;
import io.dialerbridge.operation.Operation;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The pre-flight field check as {@code send} applies it ({@code fields.check}, {@code fields.new-values}),
 * against the fields reconcile read from the dialer: what it refuses was never sent, so it is not compared.
 */
final class FieldCheckPreflight implements SentRecords.Preflight {

    private final PreflightFieldCheck check;
    private final String projectId;

    private FieldCheckPreflight(PreflightFieldCheck check, String projectId) {
        this.check = check;
        this.projectId = projectId;
    }

    /** The check, or {@link SentRecords.Preflight#NONE} when {@code fields.check} is off. */
    static SentRecords.Preflight of(boolean enabled, String newValues, ProjectFields fields, String projectId,
                                    FieldMapping mapping) {
        if (!enabled) {
            return SentRecords.Preflight.NONE;
        }
        return new FieldCheckPreflight(new PreflightFieldCheck(project -> fields, true, Duration.ofDays(1), newValues,
                mapping, Clock.systemUTC(), project -> {
                }), projectId);
    }

    @Override
    public boolean refusesFile(Path file) throws IOException {
        try {
            // the source name is the one SentRecords gives the file's elements: its file name
            check.beforeFirstBatch(file.toFile(), file.getFileName().toString(), projectId,
                    Operation.MODIFY_RECORDS.id());
            return false;
        } catch (UnknownColumnsException e) {
            return true;
        }
    }

    @Override
    public boolean refuses(Element element) {
        return check.check(element) != null;
    }
}
