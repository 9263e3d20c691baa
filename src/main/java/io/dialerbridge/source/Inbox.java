package io.dialerbridge.source;

import io.dialerbridge.output.RunReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The drop folder's layout: {@code inbox/<projectid>/<operation>/<name>.{ndjson,json,csv}}. A file
 * moves to {@code done/} (with a report beside it) once every element is accounted for, or to
 * {@code failed/} (with the reason beside it) when it cannot be read at all.
 */
public final class Inbox {

    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path home;
    private final Clock clock;

    public Inbox(Path home, Clock clock) {
        this.home = home;
        this.clock = clock;
    }

    /** The project id from a path relative to the inbox, such as {@code 22/modify-records/a.csv}. */
    public String projectOf(String relativePath) {
        return part(relativePath, 0);
    }

    /** The operation from a path relative to the inbox. */
    public String operationOf(String relativePath) {
        return part(relativePath, 1);
    }

    private static String part(String relativePath, int index) {
        String[] parts = relativePath.replace('\\', '/').split("/");
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected inbox/<projectid>/<operation>/<file>, got " + relativePath);
        }
        return parts[index];
    }

    public Path done(File file, String relativePath, RunReport report) throws IOException {
        Path target = moveTo("done", file, relativePath);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("file", relativePath);
        summary.put("finished", clock.instant().toString());
        summary.putAll(report.asMap());
        // written beside it and renamed, so that whoever watches done/ never reads half a report
        Path reportFile = target.resolveSibling(target.getFileName() + ".report.json");
        Path partial = target.resolveSibling("." + reportFile.getFileName() + ".partial");
        Files.writeString(partial, JSON.writeValueAsString(summary), StandardCharsets.UTF_8);
        Files.move(partial, reportFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LOG.info("{} done: {}", relativePath, report);
        return target;
    }

    /** Moves a file that cannot be read at all to failed/, with the reason (the innermost cause) beside it. */
    public Path failed(File file, String relativePath, Throwable error) throws IOException {
        Throwable cause = error;
        while (cause.getCause() != null && !(cause instanceof ElementReader.UnreadableFileException)) {
            cause = cause.getCause();
        }
        String reason = cause.getMessage();
        Path target = moveTo("failed", file, relativePath);
        Files.writeString(target.resolveSibling(target.getFileName() + ".reason.txt"), reason + "\n",
                StandardCharsets.UTF_8);
        LOG.warn("{} cannot be read and was moved to {}: {}", relativePath, target, reason);
        return target;
    }

    private Path moveTo(String folder, File file, String relativePath) throws IOException {
        Path target = home.resolve(folder).resolve(relativePath);
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
            target = target.resolveSibling(STAMP.format(clock.instant()) + "-" + target.getFileName());
        }
        return Files.move(file.toPath(), target, StandardCopyOption.ATOMIC_MOVE);
    }
}
