package io.dialerbridge.source;

import io.dialerbridge.element.Element;
import io.dialerbridge.output.AppendOnlyFile;
import io.dialerbridge.output.RunReport;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which elements of a file in progress are accounted for (accepted, or dead-lettered), so that after
 * a crash the file resumes where it stopped without re-sending any answered batch. One file per
 * dropped file under {@code $BRIDGE_HOME/state/}, named by the file's name (not its length or content, so that a
 * file that grew before a restart finds its journal). Its first line, {@code K <length> <key>}, says which bytes it
 * covers: the file's first {@code length} bytes, whose checksum is {@code key} ({@link ElementReader#fileKey}); a
 * file whose first bytes are no longer those is not the file the journal is about. Then one line per
 * answered batch: {@code A <line> <line>...} for accepted elements, {@code D <error> <line>...} for
 * dead-lettered ones. Lines are appended after the dead letters are on disk. Before refused elements
 * are dead-lettered, a {@code P <error> <line>...} line says that their letters are being written: after
 * a crash before the matching {@code D} line, those elements are {@link #pendingLetters() pending}, and
 * whoever resumes the file looks for their letters before sending them again. When every element is
 * accounted for, {@code F <stamp> <name>} marks the file finished; the journal is deleted only once the
 * file has left the inbox ({@link #sweepFinished}: journals whose file left the inbox before a crash).
 * A torn last line (a crash while writing it) is cut off on opening ({@link AppendOnlyFile}): its batch
 * counts as not accounted for, and is sent again.
 */
public final class FileJournal implements Closeable {

    private final Path path;
    private final AppendOnlyFile out;
    private final BitSet accounted = new BitSet();
    private final RunReport replayed = new RunReport();
    private final Map<Integer, String> pending = new TreeMap<>();
    private String finishedStamp;
    private Prefix prefix;

    /** The bytes a journal covers: the file's first {@code length} bytes, whose {@link ElementReader#fileKey} is {@code key}. */
    public record Prefix(long length, String key) {
    }

    private FileJournal(Path path, AppendOnlyFile out) {
        this.path = path;
        this.out = out;
    }

    public static FileJournal open(Path stateDir, String fileKey, boolean fsync) throws IOException {
        Path path = stateDir.resolve(fileKey + ".journal");
        AppendOnlyFile out = AppendOnlyFile.open(path, fsync);
        FileJournal journal = new FileJournal(path, out);
        try {
            journal.replay(out.lines());
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
        return journal;
    }

    private void replay(List<String> lines) {
        for (String line : lines) {
            String[] parts = line.trim().split(" ");
            if (parts[0].equals("K") && parts.length == 3) {
                prefix = new Prefix(Long.parseLong(parts[1]), parts[2]);
                continue;
            }
            if (parts[0].equals("F") && parts.length >= 2) {
                finishedStamp = parts[1];
                continue;
            }
            if (parts[0].equals("P") && parts.length >= 2) {
                for (int i = 2; i < parts.length; i++) {
                    pending.put(Integer.parseInt(parts[i]), parts[1]);
                }
                continue;
            }
            boolean accepted = parts[0].equals("A");
            boolean deadLettered = parts[0].equals("D") && parts.length >= 2;
            if (!accepted && !deadLettered) {
                continue; // not a journal line: nothing in it is accounted for
            }
            int first = accepted ? 1 : 2;
            for (int i = first; i < parts.length; i++) {
                int lineNumber = Integer.parseInt(parts[i]);
                pending.remove(lineNumber);
                if (!accounted.get(lineNumber)) {
                    accounted.set(lineNumber);
                    if (accepted) {
                        replayed.accepted(1);
                    } else {
                        replayed.deadLettered(parts[1], 1);
                    }
                }
            }
        }
    }

    /** Whether the element on this line was accounted for before a restart. */
    public boolean isAccounted(long line) {
        return accounted.get((int) line);
    }

    /** What was accounted for before a restart. */
    public RunReport replayed() {
        return replayed;
    }

    /**
     * Refused elements whose letters were being written when the bridge stopped (a {@code P} line without
     * its {@code D}): line number to error. Their letters may or may not be in the dead-letter output.
     */
    public Map<Integer, String> pendingLetters() {
        return Collections.unmodifiableMap(pending);
    }

    /** The bytes of the file this journal is about, or null when it does not say (a new journal). */
    public Prefix prefix() {
        return prefix;
    }

    /** Notes, first thing in a new journal, which bytes of the file it is about. */
    public synchronized void covers(Prefix covered) throws IOException {
        out.append("K " + covered.length() + " " + covered.key());
        prefix = covered;
    }

    /** The stamp the file had when it was marked finished, or null while it is not. */
    public String finishedStamp() {
        return finishedStamp;
    }

    public synchronized void accepted(List<Element> elements) throws IOException {
        append("A", elements);
    }

    public synchronized void deadLettered(String error, List<Element> elements) throws IOException {
        append("D " + error.replace(' ', '_'), elements);
    }

    /** Before the letters of these refused elements are written (see {@link #pendingLetters()}). */
    public synchronized void writingLetters(String error, List<Element> elements) throws IOException {
        append("P " + error.replace(' ', '_'), elements);
    }

    /** Lines whose letters were found in the dead-letter output after a crash: dead-lettered. */
    public synchronized void lettersFound(Map<Integer, String> lines) throws IOException {
        Map<String, StringBuilder> byError = new TreeMap<>();
        lines.forEach((line, error) -> byError.computeIfAbsent(error, e -> new StringBuilder("D " + e)).append(' ').append(line));
        for (StringBuilder line : byError.values()) {
            out.append(line.toString());
        }
        replay(byError.values().stream().map(StringBuilder::toString).toList());
    }

    /**
     * Every element is accounted for: the mark that lets a restart finish the file without sending
     * anything, should the bridge stop before the file leaves the inbox.
     */
    public synchronized void finished(String stamp, String sourceName) throws IOException {
        out.append("F " + stamp + " " + sourceName);
        finishedStamp = stamp;
    }

    /**
     * Deletes the journals of files that were finished and have left the inbox (a crash between the
     * move to done/ and the journal's deletion leaves them behind). A finished journal whose file is
     * still in the inbox stays: the file resumes from it.
     */
    public static int sweepFinished(Path stateDir, java.util.function.Predicate<String> inInbox) throws IOException {
        if (!Files.isDirectory(stateDir)) {
            return 0;
        }
        int deleted = 0;
        try (java.util.stream.Stream<Path> journals = Files.list(stateDir)) {
            for (Path journal : journals.filter(p -> p.getFileName().toString().endsWith(".journal")
                    && Files.isRegularFile(p)).toList()) {
                String finished = null;
                try {
                    for (String line : Files.readAllLines(journal, java.nio.charset.StandardCharsets.UTF_8)) {
                        if (line.startsWith("F ")) {
                            finished = line;
                        }
                    }
                } catch (IOException unreadable) {
                    continue; // left alone: the file it belongs to meets the same trouble, and is quarantined
                }
                String[] parts = finished == null ? new String[0] : finished.split(" ", 3);
                if (parts.length == 3 && !inInbox.test(parts[2])) {
                    Files.deleteIfExists(journal);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private void append(String prefix, List<Element> elements) throws IOException {
        if (elements.isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder(prefix);
        for (Element element : elements) {
            line.append(' ').append(element.source().line());
        }
        out.append(line.toString());
    }

    /** The file has left the inbox (or `send` has finished it): its journal is no longer needed. */
    public synchronized void delete() throws IOException {
        close();
        Files.deleteIfExists(path);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
