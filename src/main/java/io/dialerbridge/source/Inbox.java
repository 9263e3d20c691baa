package io.dialerbridge.source;

import io.dialerbridge.element.ProjectId;
import io.dialerbridge.output.RunReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The drop folder's layout: {@code inbox/<projectid>/<operation>/<name>.{ndjson,json,csv}}. A file
 * moves to {@code done/} (with a report beside it) once every element is accounted for, or to
 * {@code failed/} (with the reason beside it) when it cannot be read at all, changed while it was
 * read, or failed {@code ingest.file.max-attempts} times for a reason nobody anticipated. Entries
 * named like input files that are not regular files (a directory, a pipe) go to {@code failed/} as
 * soon as the inbox is scanned, so nothing can hold up the files behind them.
 */
public final class Inbox {

    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private static final Pattern INPUT_NAME = Pattern.compile("(?i)[^/]+/[^/]+/[^/.][^/]*\\.(ndjson|jsonl|json|csv)");

    /** The project folder of Genesys update-outbound-records elements sent without a project. */
    public static final String NO_PROJECT = "genesys";

    private final Path home;
    private final Clock clock;
    private final Map<String, Integer> failedAttempts = new ConcurrentHashMap<>();

    public Inbox(Path home, Clock clock) {
        this.home = home;
        this.clock = clock;
    }

    /**
     * The project id from a path relative to the inbox, such as {@code 22/modify-records/a.csv}, checked
     * ({@link ProjectId}): a folder that is not a positive whole number throws {@link ProjectId.Invalid}
     * (except {@code genesys/update-outbound-records/}: Genesys has no projects).
     */
    public String projectOf(String relativePath) {
        String folder = part(relativePath, 0);
        if (folder.equals(NO_PROJECT) && part(relativePath, 1).equals("update-outbound-records")) {
            return NO_PROJECT; // Genesys has no projects: what `send` without --project and its replay use
        }
        try {
            return ProjectId.parse(folder);
        } catch (ProjectId.Invalid e) {
            throw new ProjectId.Invalid("the inbox folder " + folder + " is not a project (" + ProjectId.WRONG + "): "
                    + e.getMessage() + "; nothing was sent");
        }
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

    /**
     * Moves a finished file to done/ with its report beside it; a file whose length is no longer the
     * one it was picked up with changed while it was read, and goes to failed/ with the report and the reason.
     */
    public Path done(File file, String relativePath, RunReport report, long pickedUpLength) throws IOException {
        failedAttempts.remove(relativePath);
        long length = file.length();
        boolean changed = file.exists() && length != pickedUpLength;
        String folder = changed ? "failed" : "done";
        Path target = targetIn(folder, relativePath);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("file", relativePath);
        summary.put("finished", clock.instant().toString());
        summary.putAll(report.asMap());
        // written beside it and renamed, so that whoever watches done/ never reads half a report
        Path reportFile = target.resolveSibling(target.getFileName() + ".report.json");
        Path partial = target.resolveSibling("." + reportFile.getFileName() + ".partial");
        Files.writeString(partial, JSON.writeValueAsString(summary), StandardCharsets.UTF_8);
        Files.move(partial, reportFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // the report before the file leaves the inbox: a kill in between leaves the file in the inbox, to
        // be finished again, never a file in done/ without its report (found by ChaosTest)
        move(file, target, relativePath, folder);
        if (changed) {
            writeReason(target, relativePath, "it changed while it was read (" + pickedUpLength + " bytes when picked up, "
                    + length + " at the end): the report beside it counts the elements that were read; write files "
                    + "under another name and rename them into the inbox, and drop what is missing as a new file");
        } else {
            LOG.info("{} done: {}", relativePath, report);
        }
        return target;
    }

    /** Moves a file that cannot be read at all to failed/, with the reason (the innermost cause) beside it. */
    public Path failed(File file, String relativePath, Throwable error) throws IOException {
        failedAttempts.remove(relativePath);
        Throwable cause = error;
        while (cause.getCause() != null && !(cause instanceof ElementReader.UnreadableFileException)) {
            cause = cause.getCause();
        }
        Path target = moveTo("failed", file, relativePath);
        writeReason(target, relativePath, cause.getMessage());
        return target;
    }

    /**
     * A file failed for a reason nobody anticipated: it stays in the inbox and is tried again at the next
     * look, until it has failed maxAttempts times; then it is quarantined in failed/ with the last reason.
     */
    public void attemptFailed(File file, String relativePath, Throwable error, int maxAttempts) throws IOException {
        int attempts = failedAttempts.merge(relativePath, 1, Integer::sum);
        if (attempts >= maxAttempts) {
            failed(file, relativePath, new ElementReader.UnreadableFileException("gave up after " + attempts
                    + " attempts (ingest.file.max-attempts); the last one failed with: " + error));
        } else {
            LOG.warn("{}: attempt {} of {} failed ({}); it is tried again at the next look at the inbox",
                    relativePath, attempts, maxAttempts, error.toString());
        }
    }

    /**
     * Whether a path under the inbox ({@code <project>/<operation>/<name>}) names an input the bridge picks
     * up: not a hidden or partial file, not Camel's read-lock marker ({@code .camelLock}).
     */
    public static boolean isInput(String relativePath) {
        return INPUT_NAME.matcher(relativePath.replace('\\', '/')).matches();
    }

    /** Whether a folder under the inbox is looked into: project and operation folders are; one named like an input file is quarantined. */
    public boolean acceptsFolder(String relativePath) throws IOException {
        String path = relativePath.replace('\\', '/');
        if (path.split("/").length <= 2) {
            return true;
        }
        quarantineIfInput(path, "it is a directory, not a file");
        return false;
    }

    /** Whether an entry is picked up: only regular files are; a pipe or other special file named like an input is quarantined. */
    public boolean acceptsFile(String relativePath) throws IOException {
        String path = relativePath.replace('\\', '/');
        if (Files.isRegularFile(home.resolve("inbox").resolve(path))) {
            return true;
        }
        quarantineIfInput(path, "it is not a regular file (a pipe, a socket or a device)");
        return false;
    }

    private void quarantineIfInput(String relativePath, String reason) throws IOException {
        if (INPUT_NAME.matcher(relativePath).matches()) {
            Path target = moveTo("failed", home.resolve("inbox").resolve(relativePath).toFile(), relativePath);
            writeReason(target, relativePath, reason);
        }
    }

    private void writeReason(Path target, String relativePath, String reason) throws IOException {
        Files.writeString(target.resolveSibling(target.getFileName() + ".reason.txt"), reason + "\n",
                StandardCharsets.UTF_8);
        LOG.warn("{} was moved to {}: {}", relativePath, target, reason);
    }

    /** Moves a file into folder/ (a file that disappeared meanwhile is not moved: its report or reason still is written). */
    private Path moveTo(String folder, File file, String relativePath) throws IOException {
        return move(file, targetIn(folder, relativePath), relativePath, folder);
    }

    /** Where a file goes in folder/: its own name, or a stamped one when that name is taken. */
    private Path targetIn(String folder, String relativePath) throws IOException {
        Path target = home.resolve(folder).resolve(relativePath);
        Files.createDirectories(target.getParent());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            target = target.resolveSibling(STAMP.format(clock.instant()) + "-" + target.getFileName());
        }
        return target;
    }

    private Path move(File file, Path target, String relativePath, String folder) throws IOException {
        try {
            return Files.move(file.toPath(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            LOG.warn("{} disappeared from the inbox before it could be moved to {}/", relativePath, folder);
            return target;
        }
    }
}
