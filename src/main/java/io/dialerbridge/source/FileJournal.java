package io.dialerbridge.source;

import io.dialerbridge.element.Element;
import io.dialerbridge.output.AppendOnlyFile;
import io.dialerbridge.output.RunReport;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

/**
 * Which elements of a file in progress are accounted for (accepted, or dead-lettered), so that after
 * a crash the file resumes where it stopped without re-sending any answered batch. One file per
 * dropped file under {@code $BRIDGE_HOME/state/}, named by the file's content key and name; one line per
 * answered batch: {@code A <line> <line>...} for accepted elements, {@code D <error> <line>...} for
 * dead-lettered ones. Lines are appended after the dead letters are on disk; the journal is deleted
 * when the file moves to done/. A torn last line (a crash while writing it) is cut off on opening
 * ({@link AppendOnlyFile}): its batch counts as not accounted for, and is sent again.
 */
public final class FileJournal implements Closeable {

    private final Path path;
    private final AppendOnlyFile out;
    private final BitSet accounted = new BitSet();
    private final RunReport replayed = new RunReport();

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
            boolean accepted = parts[0].equals("A");
            boolean deadLettered = parts[0].equals("D") && parts.length >= 2;
            if (!accepted && !deadLettered) {
                continue; // not a journal line: nothing in it is accounted for
            }
            int first = accepted ? 1 : 2;
            for (int i = first; i < parts.length; i++) {
                int lineNumber = Integer.parseInt(parts[i]);
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

    public synchronized void accepted(List<Element> elements) throws IOException {
        append("A", elements);
    }

    public synchronized void deadLettered(String error, List<Element> elements) throws IOException {
        append("D " + error.replace(' ', '_'), elements);
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

    /** The file is done: its journal is no longer needed. */
    public synchronized void delete() throws IOException {
        close();
        Files.deleteIfExists(path);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
