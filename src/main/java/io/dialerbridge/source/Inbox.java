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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The drop folder's layout: {@code inbox/<projectid>/<operation>/<name>.{ndjson,json,csv}}. A file
 * moves to {@code done/} (with a report beside it) once every element is accounted for, or to
 * {@code failed/} (with the reason beside it) when it cannot be read at all, changed while it was
 * read, or failed {@code ingest.file.max-attempts} times for a reason nobody anticipated. Entries
 * that are not regular files (a directory named like an input, a pipe) go to {@code failed/} as soon
 * as the inbox is scanned, so nothing can hold up the files behind them; a stable file that is not an
 * input ({@link #whyNotAnInput}) goes to {@code failed/} with the reason; only hidden and partial
 * uploads are left alone ({@link #isLeftAlone}).
 */
public final class Inbox {

    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private static final Pattern INPUT_NAME = Pattern.compile("(?i)[^/\\\\]+/[^/\\\\]+/[^/\\\\]+\\.(ndjson|jsonl|json|csv)");
    private static final Pattern INPUT_EXTENSION = Pattern.compile("(?i)\\.(ndjson|jsonl|json|csv)$");
    private static final Pattern IN_TRANSFER = Pattern.compile("(?i)\\.(part|partial|tmp|filepart|crdownload)$");

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
        return done(file, relativePath, report, new FileJournal.Prefix(pickedUpLength, null));
    }

    /**
     * As {@link #done(File, String, RunReport, long)}, and a file whose first {@code read.length()} bytes no longer
     * have the checksum {@code read.key()} they had when they were read (rewritten in place, whatever its length)
     * goes to failed/ too, with the report and the reason.
     */
    public Path done(File file, String relativePath, RunReport report, FileJournal.Prefix read) throws IOException {
        failedAttempts.remove(relativePath);
        long pickedUpLength = read.length();
        long length = file.length();
        String keyNow = file.exists() && length >= pickedUpLength && read.key() != null
                ? keyOrNull(file.toPath(), pickedUpLength) : null;
        boolean rewritten = keyNow != null && !keyNow.equals(read.key());
        boolean changed = file.exists() && (length != pickedUpLength || rewritten);
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
        if (rewritten) {
            writeReason(target, relativePath, "it was rewritten while it was read: its first " + pickedUpLength
                    + " bytes are no longer those it had when it was picked up (" + length + " bytes at the end), so the "
                    + "elements read and sent may come from either content; the report beside it counts them, each "
                    + "accepted or dead-lettered. Compare the dialer with what the file should hold, and drop the file "
                    + "again (as a new file) if its new content is to be sent; write files under another name and rename "
                    + "them into the inbox");
        } else if (changed) {
            writeReason(target, relativePath, changedWhileRead(target, pickedUpLength, length));
        } else {
            LOG.info("{} done: {}", relativePath, report);
        }
        return target;
    }

    /**
     * Why a file that changed while it was read is in failed/, and what to do. Only its first bytes, as picked
     * up, were read (process-file): when it grew, the reason says where the unread bytes begin, so that only
     * they are dropped again, never a row that was sent.
     */
    private static String changedWhileRead(Path file, long pickedUpLength, long length) throws IOException {
        return changedWhileRead(file, pickedUpLength, length, true);
    }

    /**
     * What was read of a file whose length changed while it was read (its first {@code pickedUpLength} bytes only),
     * and what to do: for the inbox's reason ({@code inInbox}) and for {@code send}'s summary.
     */
    public static String changedWhileRead(Path file, long pickedUpLength, long length, boolean inInbox) throws IOException {
        String advice = inInbox ? "; write files under another name and rename them into the inbox" : "";
        String report = inInbox ? "the report beside it" : "the report";
        if (length < pickedUpLength) {
            return "it changed while it was read (" + pickedUpLength + " bytes when picked up, " + length + " at the end: "
                    + "it was cut short): " + report + " counts the elements that were read, each accepted or "
                    + "dead-lettered; compare it with what the file should hold" + advice;
        }
        long[] lines = lineBreaks(file, pickedUpLength);
        String read = pickedUpLength == 0 ? "none" : lines[1] == 1 ? "lines 1 to " + lines[0] : "lines 1 to " + (lines[0] + 1) + " (line " + (lines[0] + 1)
                + " without its line break: the bytes appended may continue it, check it)";
        return "it grew while it was read (" + pickedUpLength + " bytes when picked up, " + length + " at the end): only "
                + "the first " + pickedUpLength + " bytes, " + read + ", were read; " + report + " counts their "
                + "elements, each accepted or dead-lettered. The " + (length - pickedUpLength) + " bytes appended after "
                + "byte " + pickedUpLength + " were not read and nothing of them was sent: to send them, "
                + (inInbox ? "drop" : "send") + " only them (for a CSV file, under its header row) as a new file; "
                + (inInbox ? "dropping" : "sending") + " this whole file again would send the rows that were read a "
                + "second time" + advice;
    }

    /** The key of the file's first {@code length} bytes ({@link ElementReader#fileKey}), or null when it is gone. */
    private static String keyOrNull(Path file, long length) throws IOException {
        try {
            return ElementReader.fileKey(file, length);
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    /** The line breaks (LF, CR LF, CR) in the first {@code length} bytes, and 1 when they end with one (else 0). */
    private static long[] lineBreaks(Path file, long length) throws IOException {
        long breaks = 0;
        int previous = -1;
        try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            for (long i = 0; i < length; i++) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                if (b == '\n' ? previous != '\r' : b == '\r') {
                    breaks++;
                }
                previous = b;
            }
        }
        return new long[] {breaks, previous == '\n' || previous == '\r' ? 1 : 0};
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
     * Whether a path under the inbox ({@code <project>/<operation>/<name>}) names an input the bridge reads and
     * sends: in an operation folder, an extension of {@code .ndjson}, {@code .jsonl}, {@code .json} or {@code .csv}
     * in any case, not hidden. The route takes exactly these (and moves every other file it is offered to
     * failed/), so the status page's waiting list and {@code dialer_bridge_inbox_files} count exactly them.
     */
    public static boolean isInput(String relativePath) {
        return INPUT_NAME.matcher(relativePath).matches() && !isLeftAlone(relativePath);
    }

    /**
     * Whether the inbox leaves a file alone on purpose, neither taking it nor moving it to failed/: a hidden
     * name ({@code .name.partial}: the way to write a file and rename it into the inbox; Camel's read-lock
     * marker {@code .camelLock} is one too) and the names uploaders give a file still in transfer
     * ({@code .part}, {@code .partial}, {@code .tmp}, {@code .filepart}, {@code .crdownload}, {@code ~}).
     */
    public static boolean isLeftAlone(String relativePath) {
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        return name.startsWith(".") || name.endsWith("~") || IN_TRANSFER.matcher(name).find();
    }

    /**
     * Why a file the consumer was offered cannot be taken as an input (it goes to failed/ with this reason), or
     * null when it is one.
     */
    public static String whyNotAnInput(String relativePath) {
        if (relativePath.indexOf('\\') >= 0) {
            return "its name holds a backslash, which the bridge does not take in a file name: rename it";
        }
        int depth = relativePath.split("/").length;
        if (depth != 3) {
            return "it is not in an inbox/<projectid>/<operation>/ folder: put it in inbox/<projectid>/<operation>/";
        }
        if (!INPUT_NAME.matcher(relativePath).matches()) {
            String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
            return "unsupported file type: " + name + " (expected .ndjson, .jsonl, .json or .csv, in any case)";
        }
        return null;
    }

    /** Moves a file that is not an input (see {@link #whyNotAnInput}) to failed/, with the reason beside it. */
    public Path notAnInput(File file, String relativePath) throws IOException {
        failedAttempts.remove(relativePath);
        Path target = moveTo("failed", file, relativePath);
        writeReason(target, relativePath, whyNotAnInput(relativePath));
        return target;
    }

    /**
     * Whether a folder under the inbox is looked into: all are but a folder named like an input file below an
     * operation folder, which is quarantined; a file in a sub-folder is then offered and goes to failed/.
     */
    public boolean acceptsFolder(String relativePath) throws IOException {
        if (relativePath.split("/").length <= 2) {
            return true;
        }
        if (INPUT_EXTENSION.matcher(relativePath).find()) {
            quarantine(relativePath, "it is a directory, not a file");
            return false;
        }
        return true;
    }

    /**
     * Whether an entry is offered to the route (which reads it, or moves it to failed/ when it is not an input):
     * a regular file is (the read lock then waits until it is stable), unless the inbox leaves it alone
     * ({@link #isLeftAlone}); a pipe or other special file is quarantined at once. A name holding a backslash
     * is quarantined here once it has not changed for minAgeMillis: Camel reads a backslash as a folder
     * separator and could never open it. {@code nameOnly} is the entry's own name as listed (a folder whose
     * name holds a backslash is not looked into correctly by Camel: such folders are not supported).
     */
    public boolean acceptsFile(String relativePath, String nameOnly, long minAgeMillis) throws IOException {
        if (isLeftAlone(relativePath) || isLeftAlone(nameOnly)) {
            return false;
        }
        if (nameOnly.indexOf('\\') >= 0) {
            int parts = nameOnly.split("\\\\", -1).length;
            String[] mangled = relativePath.split("/");
            String real = String.join("/", Arrays.copyOf(mangled, Math.max(0, mangled.length - parts)));
            real = real.isEmpty() ? nameOnly : real + "/" + nameOnly;
            Path listed = home.resolve("inbox").resolve(real);
            if (Files.isRegularFile(listed, LinkOption.NOFOLLOW_LINKS)
                    && clock.millis() - Files.getLastModifiedTime(listed).toMillis() >= minAgeMillis) {
                quarantine(real, whyNotAnInput(real));
            }
            return false;
        }
        Path path = home.resolve("inbox").resolve(relativePath);
        if (Files.isRegularFile(path) || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        quarantine(relativePath, "it is not a regular file (a pipe, a socket or a device)");
        return false;
    }

    private void quarantine(String relativePath, String reason) throws IOException {
        Path target = moveTo("failed", home.resolve("inbox").resolve(relativePath).toFile(), relativePath);
        writeReason(target, relativePath, reason);
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
