package io.dialerbridge.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes a reconciliation's differences to {@code reports/reconcile-<project>-<time>.ndjson}, one a
 * line: {@code {"numberid","field","sent","dialer"}} for a field that differs ({@code dialer} null
 * when the record has no such field), {@code {"numberid","missing":true}} for a record the dialer
 * does not have.
 */
public final class DifferenceReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private DifferenceReport() {
    }

    public static Path write(Path reports, String projectId, Instant now, List<Reconciliation.Difference> differences)
            throws IOException {
        Files.createDirectories(reports);
        Path file = io.dialerbridge.output.FileNamePart.in(reports,
                "reconcile-" + io.dialerbridge.output.FileNamePart.of(projectId, "no-project") + "-" + TIME.format(now) + ".ndjson");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Reconciliation.Difference difference : differences) {
                ObjectNode line = JSON.createObjectNode().put("numberid", difference.numberid());
                if (difference.isMissingRecord()) {
                    line.put("missing", true);
                } else {
                    line.put("field", difference.field()).put("sent", difference.sent()).put("dialer", difference.dialer());
                }
                out.write(JSON.writeValueAsString(line));
                out.newLine();
            }
        }
        return file;
    }
}
